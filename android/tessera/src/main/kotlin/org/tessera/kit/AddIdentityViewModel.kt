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
import org.tessera.ffi.ActivationInput
import org.tessera.ffi.AddIdentityFlow
import org.tessera.ffi.FlowStep
import org.tessera.ffi.InputField
import org.tessera.ffi.LinkPreview
import org.tessera.ffi.TokenException
import org.tessera.ffi.decodeQrLuma
import org.tessera.ffi.previewLink
import org.tessera.ffi.suggestedName

/** How the person adds an identity on the first screen. */
enum class AddMethod { Scan, Type, Paste }

/**
 * The activation form as typed. [name] follows the address (the core's suggested name) until
 * the person edits it ([nameEdited]).
 */
data class ActivationForm(
    val serial: String = "",
    val activation: String = "",
    val address: String = "",
    val name: String = "",
    val nameEdited: Boolean = false,
)

/**
 * What the Add Identity screens show: the flow's current [step], the chosen [method], the
 * [form], a link opened from outside the app waiting for confirmation ([confirmLink]: "Add
 * <issuer/name>?"), the last refusal [error] (beside its field), and whether a call is [busy].
 */
data class AddIdentityScreen(
    val step: FlowStep = FlowStep.Start,
    val method: AddMethod? = null,
    val form: ActivationForm = ActivationForm(),
    val confirmLink: LinkPreview? = null,
    val error: FieldError? = null,
    val busy: Boolean = false,
)

/**
 * The Add Identity screens' state holder over one [AddIdentityFlow] (a new identity, or a
 * reactivation from [org.tessera.ffi.TokenSession.reactivate]). Each method forwards to the flow
 * on [work] and shows the step it returns; a refusal keeps the flow's own step (read back from
 * the flow, which may have moved, as a PIN mismatch does) and shows the error beside the field
 * the core named. A call made while another runs is ignored (camera frames arrive many at a
 * time).
 *
 * The recovery key of a new token is in the [FlowStep.Done] this holds: show it once.
 */
class AddIdentityViewModel(
    private val flow: AddIdentityFlow,
    private val scope: CoroutineScope,
    private val work: CoroutineContext = Dispatchers.Default,
    private val clipboard: Clipboard? = null,
) {
    private val screen = MutableStateFlow(AddIdentityScreen(step = flow.step()))

    /** The link waiting for confirmation; kept out of [state] since it may hold a secret. */
    @Volatile private var pendingLink: String? = null

    /** The screen to draw. */
    val state: StateFlow<AddIdentityScreen> = screen.asStateFlow()

    /** Shows the scan, type or paste screen. */
    fun choose(method: AddMethod) = screen.update { it.copy(method = method, error = null) }

    /** The serial number field changed. */
    fun editSerial(text: String) = editForm { it.copy(serial = text) }

    /** The activation code field changed. */
    fun editActivation(text: String) = editForm { it.copy(activation = text) }

    /** The address field changed; an unedited name follows it. */
    fun editAddress(text: String) = editForm {
        if (it.nameEdited) it.copy(address = text) else it.copy(address = text, name = suggestedName(text) ?: "")
    }

    /** The person typed a name of their own. */
    fun editName(text: String) = editForm { it.copy(name = text, nameEdited = true) }

    /** Sends the form (empty optional fields count as not given). */
    fun submitForm(): Job {
        val form = screen.value.form
        return enterActivation(ActivationInput(form.serial, form.activation, form.address, form.name, null, null))
    }

    /** Typed serial number, activation code and options. */
    fun enterActivation(data: ActivationInput): Job = forward { flow.enterActivation(data) }

    /** A pasted link, or one the person chose on this screen. */
    fun enterLink(link: String): Job = forward { flow.enterLink(link) }

    /**
     * One camera frame's luminance plane ([rowStride] bytes per row): when it holds a QR code,
     * its text goes into the flow as a link. Frames without one change nothing.
     */
    fun scanFrame(width: Int, height: Int, rowStride: Int, luma: ByteArray): Job = forward {
        val text = decodeQrLuma(width.toUInt(), height.toUInt(), rowStride.toUInt(), luma)
        if (text == null) null else flow.enterLink(text)
    }

    /**
     * A link opened from outside the app or pasted (igmobileotp:// or otpauth://): nothing is
     * added until the person confirms what the core read from it ([confirmLinkToAdd]).
     */
    fun openLink(uri: String): Job = scope.launch {
        val read = withContext(work) {
            try {
                Result.success(previewLink(uri))
            } catch (e: TokenException) {
                Result.failure(e)
            }
        }
        read.onSuccess { summary ->
            pendingLink = uri
            screen.update { it.copy(confirmLink = summary, error = null) }
        }.onFailure { e ->
            pendingLink = null
            screen.update { it.copy(confirmLink = null, error = (e as TokenException).toFieldError(InputField.LINK)) }
        }
    }

    /** The person confirmed the opened link: it goes into the flow. */
    fun confirmLinkToAdd(): Job {
        val link = pendingLink ?: return scope.launch {}
        pendingLink = null
        screen.update { it.copy(confirmLink = null) }
        return enterLink(link)
    }

    /** The person declined the opened link: nothing is added. */
    fun cancelLink() {
        pendingLink = null
        screen.update { it.copy(confirmLink = null) }
    }

    /** The password that came with an activation link. */
    fun enterPassword(password: String): Job = forward { flow.enterPassword(password) }

    /** The new token's PIN. */
    fun setPin(pin: String): Job = forward { flow.setPin(pin) }

    /** The same PIN again (may create the token). */
    fun confirmPin(pin: String): Job = forward { flow.confirmPin(pin) }

    /** Copies the registration code being shown (cleared from the clipboard after a while). */
    fun copyRegistrationCode(): Job? {
        val shown = screen.value.step as? FlowStep.ShowRegistrationCode ?: return null
        val board = clipboard ?: return null
        return copyForAWhile(board, shown.registrationCode, scope)
    }

    /** After the registration code was shown: saves the identity. */
    fun finish(): Job = forward { flow.finish() }

    /** Hides the last error (the person started typing again). */
    fun clearError() = screen.update { it.copy(error = null) }

    private fun editForm(change: (ActivationForm) -> ActivationForm) =
        screen.update { it.copy(form = change(it.form), error = null) }

    /** Runs [call] unless one is running; a null step (a frame without a code) changes nothing. */
    private fun forward(call: () -> FlowStep?): Job = scope.launch {
        var started = false
        screen.update { current ->
            started = !current.busy
            if (started) current.copy(busy = true) else current
        }
        if (!started) return@launch
        val next = withContext(work) {
            try {
                val step = call()
                if (step == null) {
                    screen.value.copy(busy = false)
                } else {
                    screen.value.copy(step = step, error = null, busy = false)
                }
            } catch (e: TokenException) {
                screen.value.copy(step = flow.step(), error = e.toFieldError(), busy = false)
            }
        }
        screen.value = next
    }
}
