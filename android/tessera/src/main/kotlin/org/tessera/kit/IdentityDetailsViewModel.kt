package org.tessera.kit

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import org.tessera.ffi.IdentitySummary
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession

/**
 * What the identity details screen shows: the identity as the core last described it (kind,
 * issuer, serial, registration code, added date), whether the removal is waiting for
 * confirmation, whether it was [removed] (leave the screen), and the last refusal.
 */
data class IdentityDetailsScreen(
    val identity: IdentitySummary,
    val confirmingRemove: Boolean = false,
    val removed: Boolean = false,
    val error: FieldError? = null,
)

/**
 * The identity details screen's state holder: rename (error beside [InputField.NAME]), remove
 * after a confirmation, switch an IdentityGuard identity's policy variant when the core offers
 * it, and reactivate it (a new serial and activation code in Add Identity's screens). Calls
 * run on [work], one at a time.
 */
class IdentityDetailsViewModel(
    private val session: TokenSession,
    identity: IdentitySummary,
    private val scope: CoroutineScope,
    private val work: CoroutineContext = Dispatchers.Default,
) {
    private val screen = MutableStateFlow(IdentityDetailsScreen(identity))
    private val calls = Mutex()

    /** The screen to draw. */
    val state: StateFlow<IdentityDetailsScreen> = screen.asStateFlow()

    /** Renames the identity to [newName]. */
    fun rename(newName: String): Job = call(InputField.NAME) {
        val renamed = session.rename(id(), newName)
        screen.update { it.copy(identity = renamed, error = null) }
    }

    /** Asks to remove: the screen asks for confirmation first. */
    fun requestRemove() = screen.update { it.copy(confirmingRemove = true, error = null) }

    /** The person changed their mind. */
    fun cancelRemove() = screen.update { it.copy(confirmingRemove = false) }

    /** Removes the identity for good (only after [requestRemove]). */
    fun confirmRemove(): Job = call(null) {
        if (!screen.value.confirmingRemove) return@call
        session.remove(id())
        screen.update { it.copy(confirmingRemove = false, removed = true, error = null) }
    }

    /** Switches to the other derivation (with or without the policy), when offered. */
    fun switchPolicyVariant(): Job = call(InputField.POLICY) {
        val switched = session.switchPolicyVariant(id())
        screen.update { it.copy(identity = switched, error = null) }
    }

    /**
     * Starts giving this IdentityGuard identity a new activation: Add Identity's screens over
     * [TokenSession.reactivate], keeping its name and place in the list. Null when the core
     * refused (the error is shown here).
     */
    suspend fun reactivate(clipboard: Clipboard? = null): AddIdentityViewModel? = calls.withLock {
        withContext(work) {
            try {
                AddIdentityViewModel(session.reactivate(id()), scope, work, clipboard)
            } catch (e: TokenException) {
                screen.update { it.copy(error = e.toFieldError(InputField.IDENTITY)) }
                null
            }
        }
    }

    private fun id(): String = screen.value.identity.id

    private fun call(field: InputField?, body: () -> Unit): Job = scope.launch {
        calls.withLock {
            withContext(work) {
                try {
                    body()
                } catch (e: TokenException) {
                    screen.update { it.copy(error = e.toFieldError(field)) }
                }
            }
        }
    }
}
