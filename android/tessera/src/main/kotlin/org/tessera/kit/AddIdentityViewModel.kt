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
import kotlinx.coroutines.withContext
import org.tessera.ffi.ActivationData
import org.tessera.ffi.AddIdentityFlow
import org.tessera.ffi.FlowStep
import org.tessera.ffi.TokenException

/**
 * What the Add Identity screens show: the flow's current [step], the last refusal [error]
 * (beside its field), and whether a call is [busy].
 */
data class AddIdentityScreen(
    val step: FlowStep = FlowStep.Start,
    val error: FieldError? = null,
    val busy: Boolean = false,
)

/**
 * The Add Identity screens' state holder over one [AddIdentityFlow]. Each method forwards to
 * the flow on [work] and shows the step it returns; a refusal keeps the flow's own step (read
 * back from the flow, which may have moved, as a PIN mismatch does) and shows the error beside
 * the field the core named. A call made while another runs is ignored.
 *
 * The recovery key of a new token is in the [FlowStep.Done] this holds: show it once.
 */
class AddIdentityViewModel(
    private val flow: AddIdentityFlow,
    private val scope: CoroutineScope,
    private val work: CoroutineContext = Dispatchers.Default,
) {
    private val screen = MutableStateFlow(AddIdentityScreen(step = flow.step()))

    /** The screen to draw. */
    val state: StateFlow<AddIdentityScreen> = screen.asStateFlow()

    /** Typed serial number, activation code and options. */
    fun enterActivation(data: ActivationData): Job = forward { flow.enterActivation(data) }

    /** A scanned, pasted or opened link. */
    fun enterLink(link: String): Job = forward { flow.enterLink(link) }

    /** The password that came with an activation link. */
    fun enterPassword(password: String): Job = forward { flow.enterPassword(password) }

    /** The new token's PIN. */
    fun setPin(pin: String): Job = forward { flow.setPin(pin) }

    /** The same PIN again (may create the token). */
    fun confirmPin(pin: String): Job = forward { flow.confirmPin(pin) }

    /** After the registration code was shown: saves the identity. */
    fun finish(): Job = forward { flow.finish() }

    /** Hides the last error (the person started typing again). */
    fun clearError() = screen.update { it.copy(error = null) }

    private fun forward(call: () -> FlowStep): Job = scope.launch {
        var started = false
        screen.update { current ->
            started = !current.busy
            if (started) current.copy(busy = true) else current
        }
        if (!started) return@launch
        val next = withContext(work) {
            try {
                AddIdentityScreen(step = call())
            } catch (e: TokenException) {
                AddIdentityScreen(step = flow.step(), error = e.toFieldError())
            }
        }
        screen.value = next
    }
}
