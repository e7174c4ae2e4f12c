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
import org.tessera.ffi.InputField
import org.tessera.ffi.SettingsView
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession

/**
 * What the settings screen shows: the core's [settings] (null until read), whether the PIN was
 * just changed, a new recovery key to show once, whether a call is running, and the last
 * refusal beside its field ([InputField.CURRENT_PIN], [InputField.NEW_PIN],
 * [InputField.CONFIRM_PIN], [InputField.TIME_OFFSET], [InputField.AUTO_LOCK],
 * [InputField.LOCKOUT_THRESHOLD], [InputField.UNLOCK_CODES], and [InputField.LOCKOUT_PIN] /
 * [InputField.RECOVERY_KEY_PIN] for the PIN asked again before those two changes).
 */
data class SettingsScreen(
    val settings: SettingsView? = null,
    val pinChanged: Boolean = false,
    val recoveryKey: String? = null,
    val busy: Boolean = false,
    val error: FieldError? = null,
)

/**
 * The settings screen's state holder. Every value is checked by the core; after each change
 * the settings are read back from it. Calls run on [work] (changing the PIN, the lockout
 * threshold and making a recovery key run the PIN's key derivation), one at a time.
 */
class SettingsViewModel(
    private val session: TokenSession,
    private val scope: CoroutineScope,
    private val work: CoroutineContext = Dispatchers.Default,
) {
    private val screen = MutableStateFlow(SettingsScreen())
    private val calls = Mutex()

    /** The screen to draw. */
    val state: StateFlow<SettingsScreen> = screen.asStateFlow()

    /** Reads the settings. */
    fun refresh(): Job = call(null) {}

    /**
     * Changes the PIN; the core checks [currentPin], the PIN rules on [newPin] (refused beside
     * [InputField.NEW_PIN]) and that [confirmation] repeats it ([InputField.CONFIRM_PIN]). A
     * refused PIN try belongs to the current PIN.
     */
    fun changePin(currentPin: String, newPin: String, confirmation: String): Job =
        call(InputField.CURRENT_PIN) {
            session.changePinConfirmed(currentPin, newPin, confirmation)
            screen.update { it.copy(pinChanged = true) }
        }

    /** Sets the correction added to the device clock for time-based codes. */
    fun setTimeOffset(seconds: Long): Job = call(InputField.TIME_OFFSET) { session.setTimeOffset(seconds) }

    /** Sets how long the app may stay in the background before the token locks (0: at once). */
    fun setAutoLock(seconds: UInt): Job = call(InputField.AUTO_LOCK) { session.setAutoLockSeconds(seconds) }

    /**
     * Sets how many wrong PINs in a row lock the token. The core refuses a number out of range
     * ([InputField.LOCKOUT_THRESHOLD]) before it checks [pin] again; a wrong PIN counts as a
     * try and is placed beside [InputField.LOCKOUT_PIN].
     */
    fun setLockoutThreshold(attempts: UInt, pin: String): Job =
        call(InputField.LOCKOUT_PIN) { session.setLockoutThreshold(attempts, pin) }

    /**
     * Turns unlock codes on or off; the core checks [pin] again (a wrong one counts as a try and
     * is shown beside [InputField.UNLOCK_CODES]). Off: a locked token shows no reset code, and
     * only the recovery key opens it.
     */
    fun setUnlockCodes(pin: String, enabled: Boolean): Job =
        call(InputField.UNLOCK_CODES) { session.setUnlockCodes(pin, enabled) }

    /**
     * Makes a new recovery key (replacing any earlier one), shown once. The key opens the token
     * without the PIN, so the core checks [pin] again; a wrong one counts as a try and is placed
     * beside [InputField.RECOVERY_KEY_PIN].
     */
    fun makeRecoveryKey(pin: String): Job = call(InputField.RECOVERY_KEY_PIN) {
        val key = session.exportNewRecoveryKey(pin)
        screen.update { it.copy(recoveryKey = key) }
    }

    /** The person wrote the recovery key down: stop showing it. */
    fun dismissRecoveryKey() = screen.update { it.copy(recoveryKey = null) }

    private fun call(field: InputField?, body: () -> Unit): Job = scope.launch {
        calls.withLock {
            screen.update { it.copy(busy = true, pinChanged = false) }
            val next = withContext(work) {
                try {
                    body()
                    screen.value.copy(settings = session.settings(), error = null)
                } catch (e: TokenException) {
                    screen.value.copy(error = e.toFieldError(field))
                }
            }
            screen.value = next.copy(busy = false)
        }
    }
}
