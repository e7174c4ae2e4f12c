package org.tessera.ui

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.unit.dp
import org.tessera.ffi.FlowStep
import org.tessera.ffi.InputField
import org.tessera.ffi.LinkPreview
import org.tessera.kit.AddIdentityScreen
import org.tessera.kit.AddIdentityViewModel
import org.tessera.kit.AddMethod

/**
 * Add Identity (and reactivation), page by page as the view model's state says. [scanner] is
 * the camera preview the platform supplies (it feeds frames to [AddIdentityViewModel.scanFrame]).
 */
@Composable
fun AddIdentityPage(
    state: AddIdentityScreen,
    vm: AddIdentityViewModel,
    onClose: () -> Unit,
    scanner: @Composable () -> Unit = { ScannerPlaceholder() },
) {
    val confirm = state.confirmLink
    when (val step = state.step) {
        FlowStep.Start -> when {
            confirm != null -> ConfirmLinkPage(confirm, vm::confirmLinkToAdd, vm::cancelLink)
            state.method == AddMethod.Type -> ActivationFormPage(state, vm) { vm.choose(AddMethod.Scan) }
            state.method == AddMethod.Paste -> PasteLinkPage(state, vm::openLink) { vm.choose(AddMethod.Scan) }
            else -> ScanPage(state, vm::choose, onClose, scanner)
        }
        FlowStep.NeedsPassword -> PasswordPage(state, vm::enterPassword)
        FlowStep.NeedsPin -> PinChoicePage("Choose a PIN", "It unlocks Tessera on this device. Use at least 4 digits.", state, vm::setPin)
        FlowStep.ConfirmPin -> PinChoicePage("Confirm your PIN", "Type the same PIN again.", state, vm::confirmPin)
        is FlowStep.ShowRegistrationCode -> RegistrationCodePage(step, state, { vm.copyRegistrationCode() }, vm::finish)
        is FlowStep.Done -> DonePage(step, onClose)
    }
}

/** Where the camera preview goes when the platform has none (desktop renders). */
@Composable
fun ScannerPlaceholder() {
    Box(
        Modifier.fillMaxWidth().aspectRatio(1f).background(Color(0xFF1B1F24)),
        contentAlignment = Alignment.Center,
    ) {
        Box(Modifier.fillMaxWidth(0.6f).aspectRatio(1f).background(Color(0x33FFFFFF)))
        Text("Point the camera at the QR code", color = Color.White)
    }
}

@Composable
private fun ScanPage(state: AddIdentityScreen, choose: (AddMethod) -> Unit, onClose: () -> Unit, scanner: @Composable () -> Unit) {
    Page("Add identity", onBack = onClose) {
        scanner()
        FormError(state.error?.message)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth()) {
            OutlinedButton(onClick = { choose(AddMethod.Type) }, modifier = Modifier.weight(1f)) { Text("Type the codes") }
            OutlinedButton(onClick = { choose(AddMethod.Paste) }, modifier = Modifier.weight(1f)) { Text("Paste a link") }
        }
    }
}

@Composable
private fun ActivationFormPage(state: AddIdentityScreen, vm: AddIdentityViewModel, onBack: () -> Unit) {
    val form = state.form
    val error = state.error
    val submit = { if (!state.busy) vm.submitForm() }
    Page("Type the activation", onBack = onBack) {
        Field(form.serial, vm::editSerial, "Serial number", InputField.SERIAL_NUMBER, error, digits = true, hint = "For example 48244-13456", onSubmit = submit)
        Field(form.activation, vm::editActivation, "Activation code", InputField.ACTIVATION_CODE, error, digits = true, onSubmit = submit)
        Field(form.address, vm::editAddress, "Address (optional)", InputField.ADDRESS, error, hint = "From your organisation's e-mail", onSubmit = submit)
        Field(form.name, vm::editName, "Name", InputField.NAME, error, onSubmit = submit)
        FormError(error.besides(InputField.SERIAL_NUMBER, InputField.ACTIVATION_CODE, InputField.ADDRESS, InputField.NAME))
        Button(onClick = { vm.submitForm() }, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) { Text("Continue") }
    }
}

@Composable
private fun PasteLinkPage(state: AddIdentityScreen, submit: (String) -> Unit, onBack: () -> Unit) {
    var link by remember { mutableStateOf("") }
    Page("Paste a link", onBack = onBack) {
        Text("Paste the igmobileotp:// or otpauth:// link you were sent.")
        Field(link, { link = it }, "Link", InputField.LINK, state.error, onSubmit = { if (!state.busy) submit(link) })
        FormError(state.error.besides(InputField.LINK))
        Button(onClick = { submit(link) }, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) { Text("Continue") }
    }
}

/** A link opened from outside the app or pasted: nothing is added until the person says so. */
@Composable
fun ConfirmLinkPage(preview: LinkPreview, confirm: () -> Unit, cancel: () -> Unit) {
    Page("Add identity?") {
        val what = listOfNotNull(preview.issuer, preview.name).distinct().joinToString(": ")
        Text(
            if (what.isEmpty()) "Add the identity in this activation link?" else "Add $what?",
            style = MaterialTheme.typography.titleLarge,
        )
        if (preview.needsPassword) Text("The password that came with the link is asked next.")
        preview.warnings.forEach { Text(it, color = MaterialTheme.colorScheme.error) }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth()) {
            OutlinedButton(onClick = cancel, modifier = Modifier.weight(1f)) { Text("Cancel") }
            Button(onClick = confirm, modifier = Modifier.weight(1f)) { Text("Add") }
        }
    }
}

@Composable
private fun PasswordPage(state: AddIdentityScreen, submit: (String) -> Unit) {
    var password by remember { mutableStateOf("") }
    Page("Link password") {
        Text("Type the password that came with the activation link (usually in a separate message).")
        Field(password, { password = it }, "Password", InputField.PASSWORD, state.error, secret = true, onSubmit = { if (!state.busy) submit(password) })
        FormError(state.error.besides(InputField.PASSWORD))
        Button(onClick = { submit(password) }, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) {
            Text(if (state.busy) "Opening…" else "Open the link")
        }
    }
}

/** Set PIN and confirm PIN (first identity only). */
@Composable
fun PinChoicePage(title: String, explanation: String, state: AddIdentityScreen, submit: (String) -> Unit) {
    var pin by remember(title) { mutableStateOf("") }
    Page(title) {
        Text(explanation)
        Field(pin, { pin = it }, "PIN", if (state.error?.field == InputField.CONFIRM_PIN) InputField.CONFIRM_PIN else InputField.PIN, state.error, secret = true, digits = true, onSubmit = { if (!state.busy) submit(pin) })
        FormError(state.error.besides(InputField.PIN, InputField.CONFIRM_PIN))
        Button(onClick = { submit(pin) }, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) {
            Text(if (state.busy) "Creating the token…" else "Continue")
        }
    }
}

@Composable
private fun RegistrationCodePage(step: FlowStep.ShowRegistrationCode, state: AddIdentityScreen, copy: () -> Unit, next: () -> Unit) {
    Page("Registration code") {
        Text(step.name, style = MaterialTheme.typography.titleLarge)
        Text("Type this registration code on your organisation's enrolment page to finish.")
        Card(Modifier.fillMaxWidth()) {
            Column(Modifier.padding(20.dp), horizontalAlignment = Alignment.CenterHorizontally) {
                GroupedCode(step.registrationCode)
            }
        }
        FormError(state.error?.message)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth()) {
            OutlinedButton(onClick = copy, modifier = Modifier.weight(1f)) { Text("Copy") }
            Button(onClick = next, enabled = !state.busy, modifier = Modifier.weight(1f)) { Text("Next") }
        }
    }
}

@Composable
private fun DonePage(step: FlowStep.Done, onClose: () -> Unit) {
    Page("Identity added") {
        Text(step.identity.name, style = MaterialTheme.typography.titleLarge)
        step.warnings.forEach { Text(it, color = MaterialTheme.colorScheme.error) }
        val key = step.recoveryKey
        if (key != null) {
            Text("Your recovery key", style = MaterialTheme.typography.titleMedium)
            Text("Write it down and keep it somewhere safe. It opens the token if you forget your PIN, and it is shown only now.")
            Card(Modifier.fillMaxWidth()) { GroupedCode(key, Modifier.padding(16.dp)) }
        }
        Button(onClick = onClose, modifier = Modifier.fillMaxWidth()) { Text("Done") }
    }
}
