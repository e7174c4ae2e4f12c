package org.tessera.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import java.time.Instant
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import org.tessera.ffi.IdentityKindLabel
import org.tessera.ffi.InputField
import org.tessera.kit.IdentityDetailsScreen

/** What the details page sends back. */
class IdentityDetailsActions(
    val rename: (String) -> Unit,
    val requestRemove: () -> Unit,
    val confirmRemove: () -> Unit,
    val cancelRemove: () -> Unit,
    val switchPolicy: () -> Unit,
    val reactivate: () -> Unit,
    val back: () -> Unit,
)

/** One identity: what it is, rename, remove (after a confirmation), reactivate. */
@Composable
fun IdentityDetailsPage(state: IdentityDetailsScreen, actions: IdentityDetailsActions) {
    val identity = state.identity
    var name by remember(identity.name) { mutableStateOf(identity.name) }
    Page(identity.name, onBack = actions.back) {
        Card(Modifier.fillMaxWidth()) {
            Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Detail("Kind", kindLabel(identity.kind))
                identity.issuer?.let { Detail("Issuer", it) }
                identity.serial?.let { Detail("Serial number", it) }
                identity.registrationCode?.let { Detail("Registration code", it) }
                identity.address?.let { Detail("Address", it) }
                identity.policyIncluded?.let { Detail("Policy", if (it) "included" else "not included") }
                Detail("Added", DATE.format(Instant.ofEpochSecond(identity.addedAt.toLong())))
            }
        }
        Field(name, { name = it }, "Name", InputField.NAME, state.error)
        Button(onClick = { actions.rename(name) }, modifier = Modifier.fillMaxWidth()) { Text("Rename") }
        FormError(state.error.besides(InputField.NAME))
        if (identity.canSwitchPolicy) {
            OutlinedButton(onClick = actions.switchPolicy, modifier = Modifier.fillMaxWidth()) {
                Text(if (identity.policyIncluded == true) "Use the codes without the policy" else "Use the codes with the policy")
            }
        }
        if (identity.kind == IdentityKindLabel.IDENTITY_GUARD) {
            OutlinedButton(onClick = actions.reactivate, modifier = Modifier.fillMaxWidth()) { Text("Reactivate") }
        }
        if (state.confirmingRemove) {
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Text("Remove ${identity.name}?", style = MaterialTheme.typography.titleMedium)
                    Text("Its codes will be gone from this device for good. You may need your organisation to activate it again.")
                    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        OutlinedButton(onClick = actions.cancelRemove, modifier = Modifier.weight(1f)) { Text("Keep") }
                        Button(
                            onClick = actions.confirmRemove,
                            colors = ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error),
                            modifier = Modifier.weight(1f),
                        ) { Text("Remove") }
                    }
                }
            }
        } else {
            OutlinedButton(onClick = actions.requestRemove, modifier = Modifier.fillMaxWidth()) {
                Text("Remove", color = MaterialTheme.colorScheme.error)
            }
        }
    }
}

@Composable
private fun Detail(label: String, value: String) {
    Column {
        Text(label, style = MaterialTheme.typography.labelMedium)
        Text(value, style = MaterialTheme.typography.bodyLarge)
    }
}

private val DATE: DateTimeFormatter = DateTimeFormatter.ofPattern("d MMM yyyy").withZone(ZoneOffset.UTC)
