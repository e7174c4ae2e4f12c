package org.tessera.kit

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession
import org.tessera.ffi.TokenStatus

/** What the unlock screen shows. */
sealed interface UnlockScreen {
    /** The token's state has not been read yet. */
    data object Loading : UnlockScreen

    /** There is no token: offer Add Identity. */
    data object NoToken : UnlockScreen

    /** Ask for the PIN; [error] is the last refusal (a wrong PIN, with the tries left). */
    data class EnterPin(val attemptsLeft: UInt, val error: FieldError? = null) : UnlockScreen

    /**
     * Locked out: show [resetCode] for the help desk and take an unlock code or the recovery key,
     * with a new PIN. [error] is the last refusal.
     */
    data class LockedOut(
        val resetCode: String?,
        val unlockAttemptsLeft: UInt,
        val recoveryKey: Boolean,
        val error: FieldError? = null,
    ) : UnlockScreen

    /** Unlocked; [notice] is what the core asked to tell the person (a restored vault copy). */
    data class Unlocked(val notice: String? = null) : UnlockScreen
}

/**
 * The unlock screen's state holder. Every decision (is the PIN right, how many tries are left,
 * is the token locked) is the core's: after each call this reads [TokenSession.state] again and
 * shows it, with the refusal's words beside the field it belongs to.
 *
 * Calls run on [work] (the key derivation is slow); a call made while another runs is ignored.
 */
class UnlockViewModel(
    private val session: TokenSession,
    private val scope: CoroutineScope,
    private val work: CoroutineContext = Dispatchers.Default,
) {
    private val screen = MutableStateFlow<UnlockScreen>(UnlockScreen.Loading)
    private val running = MutableStateFlow(false)

    /** The screen to draw. */
    val state: StateFlow<UnlockScreen> = screen.asStateFlow()

    /** Whether a call is running (show progress, disable the buttons). */
    val busy: StateFlow<Boolean> = running.asStateFlow()

    /** Reads the token's state (no PIN try is counted). */
    fun refresh(): Job = attempt(field = null) { null }

    /** Unlocks with [pin]. */
    fun submitPin(pin: String): Job = attempt(field = InputField.PIN) { session.unlock(pin) }

    /** Opens a locked token with the help desk's [unlockCode] and sets [newPin]. */
    fun submitUnlockCode(unlockCode: String, newPin: String): Job =
        attempt(field = InputField.UNLOCK_CODE) { session.unlockWithCode(unlockCode, newPin); null }

    /** Opens the token with its [recoveryKey] and sets [newPin]. */
    fun submitRecoveryKey(recoveryKey: String, newPin: String): Job =
        attempt(field = InputField.RECOVERY_KEY) { session.unlockWithRecoveryKey(recoveryKey, newPin); null }

    private fun attempt(field: InputField?, call: () -> String?): Job = scope.launch {
        if (!running.compareAndSet(expect = false, update = true)) return@launch
        try {
            screen.value = withContext(work) {
                try {
                    val notice = call()
                    show(session.status(), notice, error = null)
                } catch (e: TokenException) {
                    show(session.status(), notice = null, error = e.toFieldError(field))
                }
            }
        } finally {
            running.value = false
        }
    }

    private fun show(state: TokenStatus, notice: String?, error: FieldError?): UnlockScreen =
        when (state) {
            is TokenStatus.NoToken -> UnlockScreen.NoToken
            is TokenStatus.NeedsPin -> UnlockScreen.EnterPin(state.attemptsLeft, error)
            is TokenStatus.LockedOut -> UnlockScreen.LockedOut(
                state.resetCode,
                state.unlockAttemptsLeft,
                state.recoveryKey,
                error,
            )
            is TokenStatus.Unlocked -> UnlockScreen.Unlocked(notice)
        }
}
