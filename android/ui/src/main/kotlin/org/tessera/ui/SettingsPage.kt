package org.tessera.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalUriHandler
import androidx.compose.ui.unit.dp
import org.tessera.ffi.InputField
import org.tessera.kit.SettingsScreen

/** What the settings page sends back. */
class SettingsActions(
    val changePin: (current: String, new: String, confirmation: String) -> Unit,
    val setTimeOffset: (Long) -> Unit,
    val setAutoLock: (UInt) -> Unit,
    val setUnlockCodes: (pin: String, enabled: Boolean) -> Unit,
    val makeRecoveryKey: (pin: String) -> Unit,
    val dismissRecoveryKey: () -> Unit,
    val back: () -> Unit,
)

/**
 * Where the privacy policy (docs/privacy.md) is published; the Play listing links the same page
 * (android/app/fastlane, checked by StoreListingTest). Whoever publishes the app replaces it.
 */
const val PRIVACY_POLICY_URL = "https://example.org/tessera/privacy"

/** The auto-lock delays offered, in seconds (the core accepts 0 to 3600). */
val AUTO_LOCK_CHOICES: List<UInt> = listOf(0u, 30u, 60u, 300u, 900u)

/** Change PIN, time offset, auto-lock delay, unlock codes on or off, a new recovery key. */
@Composable
fun SettingsPage(state: SettingsScreen, actions: SettingsActions) {
    var unlockPin by remember { mutableStateOf("") }
    var current by remember { mutableStateOf("") }
    var new by remember { mutableStateOf("") }
    var confirmation by remember { mutableStateOf("") }
    var recoveryPin by remember { mutableStateOf("") }
    val error = state.error
    Page("Settings", onBack = actions.back) {
        Text("Change PIN", style = MaterialTheme.typography.titleMedium)
        Field(current, { current = it }, "Current PIN", InputField.CURRENT_PIN, error, secret = true, digits = true)
        Field(new, { new = it }, "New PIN", InputField.NEW_PIN, error, secret = true, digits = true)
        Field(confirmation, { confirmation = it }, "New PIN again", InputField.CONFIRM_PIN, error, secret = true, digits = true)
        if (state.pinChanged) Text("The PIN was changed.", color = MaterialTheme.colorScheme.primary)
        Button(onClick = { actions.changePin(current, new, confirmation) }, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) {
            Text("Change PIN")
        }
        HorizontalDivider()

        val settings = state.settings
        if (settings != null) {
            Text("Clock correction", style = MaterialTheme.typography.titleMedium)
            Text("Codes use the device clock plus ${settings.timeOffsetSeconds} s. Adjust it when codes are refused because the clock is off.")
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for (step in listOf(-30L, -1L, 1L, 30L)) {
                    OutlinedButton(onClick = { actions.setTimeOffset(settings.timeOffsetSeconds + step) }) {
                        Text(if (step > 0) "+$step s" else "$step s")
                    }
                }
            }
            error.on(InputField.TIME_OFFSET)?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            HorizontalDivider()

            Text("Lock after leaving the app", style = MaterialTheme.typography.titleMedium)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                for (seconds in AUTO_LOCK_CHOICES) {
                    FilterChip(
                        selected = settings.autoLockSeconds == seconds,
                        onClick = { actions.setAutoLock(seconds) },
                        label = { Text(delayLabel(seconds)) },
                    )
                }
            }
            error.on(InputField.AUTO_LOCK)?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            HorizontalDivider()

            Text("Unlock codes", style = MaterialTheme.typography.titleMedium)
            Text(
                if (settings.unlockCodes) {
                    "When the token is locked, your organisation can open it with an unlock code for the reset code it shows."
                } else {
                    "Off: a locked token shows no reset code, and only the recovery key opens it."
                },
            )
            Field(unlockPin, { unlockPin = it }, "PIN (to change this)", InputField.UNLOCK_CODES, error, secret = true, digits = true)
            Row(verticalAlignment = Alignment.CenterVertically, modifier = Modifier.fillMaxWidth()) {
                Text("Allow unlock codes", modifier = Modifier.weight(1f))
                Switch(
                    checked = settings.unlockCodes,
                    onCheckedChange = {
                        actions.setUnlockCodes(unlockPin, it)
                        unlockPin = ""
                    },
                    enabled = !state.busy,
                )
            }
            HorizontalDivider()

            Text("Recovery key", style = MaterialTheme.typography.titleMedium)
            Text(if (settings.hasRecoveryKey) "A recovery key exists. A new one replaces it." else "There is no recovery key.")
        }
        val key = state.recoveryKey
        if (key != null) {
            Card(Modifier.fillMaxWidth()) { GroupedCode(key, Modifier.padding(16.dp)) }
            Text("Write it down now: it is shown only once.")
            Button(onClick = actions.dismissRecoveryKey, modifier = Modifier.fillMaxWidth()) { Text("I wrote it down") }
        } else {
            Field(recoveryPin, { recoveryPin = it }, "PIN", InputField.RECOVERY_KEY_PIN, error, secret = true, digits = true,
                hint = "A recovery key opens Tessera without the PIN, so the PIN is asked first.")
            OutlinedButton(
                onClick = {
                    actions.makeRecoveryKey(recoveryPin)
                    recoveryPin = ""
                },
                enabled = !state.busy,
                modifier = Modifier.fillMaxWidth(),
            ) {
                Text("Make a new recovery key")
            }
        }
        FormError(error.besides(InputField.CURRENT_PIN, InputField.NEW_PIN, InputField.CONFIRM_PIN, InputField.TIME_OFFSET, InputField.AUTO_LOCK, InputField.RECOVERY_KEY_PIN, InputField.UNLOCK_CODES))
        HorizontalDivider()

        Text("Privacy", style = MaterialTheme.typography.titleMedium)
        Text("Tessera collects nothing: your identities, PIN and codes stay on this device.")
        val links = LocalUriHandler.current
        OutlinedButton(onClick = { links.openUri(PRIVACY_POLICY_URL) }, modifier = Modifier.fillMaxWidth()) {
            Text("Privacy policy")
        }
    }
}

private fun delayLabel(seconds: UInt): String = when {
    seconds == 0u -> "at once"
    seconds < 60u -> "$seconds s"
    else -> "${seconds / 60u} min"
}
