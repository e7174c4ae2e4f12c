package org.tessera.ui

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import org.tessera.ffi.InputField
import org.tessera.ffi.groupCode
import org.tessera.kit.UnlockScreen

/** What the unlock pages send back. */
class UnlockActions(
    val submitPin: (String) -> Unit,
    val submitUnlockCode: (unlockCode: String, newPin: String) -> Unit,
    val submitRecoveryKey: (recoveryKey: String, newPin: String) -> Unit,
    val addIdentity: () -> Unit,
)

/** PIN entry, or the locked page, or the first-run page, as the token's state says. */
@Composable
fun UnlockPage(state: UnlockScreen, busy: Boolean, actions: UnlockActions) {
    when (state) {
        UnlockScreen.Loading -> Page("Tessera") { CircularProgressIndicator() }
        UnlockScreen.NoToken -> Page("Tessera") {
            Text("No identities yet", style = MaterialTheme.typography.titleLarge)
            Text("Add your first identity: scan the QR code your organisation sent, open its link, or type the serial number and activation code.")
            Button(onClick = actions.addIdentity, modifier = Modifier.fillMaxWidth()) { Text("Add identity") }
        }
        is UnlockScreen.EnterPin -> PinEntry(state, busy, actions.submitPin)
        is UnlockScreen.LockedOut -> LockedPage(state, busy, actions)
        is UnlockScreen.Unlocked -> Page("Tessera") { Text("Unlocked") }
    }
}

@Composable
private fun PinEntry(state: UnlockScreen.EnterPin, busy: Boolean, submit: (String) -> Unit) {
    var pin by remember { mutableStateOf("") }
    Page("Unlock Tessera") {
        Text("Enter your PIN", style = MaterialTheme.typography.titleLarge)
        Text("${state.attemptsLeft} tries left before the token locks.")
        Field(pin, { pin = it }, "PIN", InputField.PIN, state.error, secret = true, digits = true, onSubmit = { if (!busy) submit(pin) })
        FormError(state.error.besides(InputField.PIN))
        Button(onClick = { submit(pin) }, enabled = !busy, modifier = Modifier.fillMaxWidth()) {
            Text(if (busy) "Checking…" else "Unlock")
        }
    }
}

@Composable
private fun LockedPage(state: UnlockScreen.LockedOut, busy: Boolean, actions: UnlockActions) {
    var useRecoveryKey by remember { mutableStateOf(state.resetCode == null) }
    var answer by remember { mutableStateOf("") }
    var newPin by remember { mutableStateOf("") }
    // Until the person tries an unlock code or key here, the last error is the PIN try that
    // locked the token: it belongs above the form, not beside the new PIN.
    var tried by remember { mutableStateOf(false) }
    val error = state.error.takeIf { tried }
    Page("Token locked") {
        Text("Too many wrong PINs", style = MaterialTheme.typography.titleLarge)
        if (!tried) FormError(state.error?.message)
        val resetCode = state.resetCode
        if (resetCode != null) {
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
                    Text("Reset code", style = MaterialTheme.typography.labelLarge)
                    GroupedCode(groupCode(resetCode))
                    Text("Give this code to your help desk; they answer with an unlock code.")
                }
            }
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            if (resetCode != null) {
                FilterChip(!useRecoveryKey, { useRecoveryKey = false }, label = { Text("Unlock code") })
            }
            if (state.recoveryKey) {
                FilterChip(useRecoveryKey, { useRecoveryKey = true }, label = { Text("Recovery key") })
            }
        }
        if (useRecoveryKey) {
            Field(answer, { answer = it }, "Recovery key", InputField.RECOVERY_KEY, error)
        } else {
            Field(
                answer, { answer = it }, "Unlock code", InputField.UNLOCK_CODE, error, digits = true,
                hint = "${state.unlockAttemptsLeft} tries left",
            )
        }
        Field(newPin, { newPin = it }, "New PIN", InputField.PIN, error, secret = true, digits = true)
        FormError(error.besides(InputField.RECOVERY_KEY, InputField.UNLOCK_CODE, InputField.PIN))
        Button(
            onClick = {
                tried = true
                if (useRecoveryKey) actions.submitRecoveryKey(answer, newPin) else actions.submitUnlockCode(answer, newPin)
            },
            enabled = !busy,
            modifier = Modifier.fillMaxWidth(),
        ) { Text("Unlock and set the new PIN") }
    }
}
