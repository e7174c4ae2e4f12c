package org.tessera.kit

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.tessera.ffi.AddIdentityFlow
import org.tessera.ffi.FlowStep
import org.tessera.ffi.TokenSession

/*
 * Suspending forms of the calls that run the PIN key derivation (Argon2id, about half a second
 * on a phone by design) or create the token. Each only moves the generated call off the
 * caller's thread; the work and every check happen in the Rust core.
 *
 * `context` defaults to Dispatchers.Default because the derivation is CPU-bound; tests pass
 * their own dispatcher.
 */

/** [TokenSession.unlock] off the caller's thread. Returns the notice to show, if any. */
suspend fun TokenSession.unlockSuspending(
    pin: String,
    context: CoroutineContext = Dispatchers.Default,
): String? = withContext(context) { unlock(pin) }

/** [TokenSession.unlockWithCode] off the caller's thread. */
suspend fun TokenSession.unlockWithCodeSuspending(
    unlockCode: String,
    newPin: String,
    context: CoroutineContext = Dispatchers.Default,
): Unit = withContext(context) { unlockWithCode(unlockCode, newPin) }

/** [TokenSession.unlockWithRecoveryKey] off the caller's thread. */
suspend fun TokenSession.unlockWithRecoveryKeySuspending(
    recoveryKey: String,
    newPin: String,
    context: CoroutineContext = Dispatchers.Default,
): Unit = withContext(context) { unlockWithRecoveryKey(recoveryKey, newPin) }

/** [TokenSession.changePin] off the caller's thread. */
suspend fun TokenSession.changePinSuspending(
    currentPin: String,
    newPin: String,
    context: CoroutineContext = Dispatchers.Default,
): Unit = withContext(context) { changePin(currentPin, newPin) }

/**
 * [AddIdentityFlow.confirmPin] off the caller's thread: for a link or an otpauth identity it
 * creates the token (key derivation and the first vault write).
 */
suspend fun AddIdentityFlow.confirmPinSuspending(
    pin: String,
    context: CoroutineContext = Dispatchers.Default,
): FlowStep = withContext(context) { confirmPin(pin) }

/** [AddIdentityFlow.finish] off the caller's thread: it may create the token and saves it. */
suspend fun AddIdentityFlow.finishSuspending(
    context: CoroutineContext = Dispatchers.Default,
): FlowStep = withContext(context) { finish() }
