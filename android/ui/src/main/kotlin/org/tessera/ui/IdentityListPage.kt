package org.tessera.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material.icons.filled.ContentCopy
import androidx.compose.material.icons.filled.Lock
import androidx.compose.material.icons.filled.Settings
import androidx.compose.material.icons.outlined.Key
import androidx.compose.material3.Card
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.tessera.ffi.IdentityKindLabel
import org.tessera.kit.IdentityListScreen
import org.tessera.kit.IdentityRow

/** What the identity list sends back. */
class IdentityListActions(
    val reveal: (String) -> Unit,
    val hide: (String) -> Unit,
    val copy: (String) -> Unit,
    val details: (String) -> Unit,
    val challenge: (String) -> Unit,
    val add: () -> Unit,
    val settings: () -> Unit,
    val lock: () -> Unit,
)

/**
 * The identities; a tap shows (or hides) a code, with its countdown and, near the end, the next
 * one. [header] goes above them (the desktop's search field).
 */
@Composable
fun IdentityListPage(state: IdentityListScreen, actions: IdentityListActions, header: @Composable () -> Unit = {}) {
    Page(
        "Tessera",
        actions = {
            IconButton(onClick = actions.add) { Icon(Icons.Filled.Add, contentDescription = "Add identity") }
            IconButton(onClick = actions.settings) { Icon(Icons.Filled.Settings, contentDescription = "Settings") }
            IconButton(onClick = actions.lock) { Icon(Icons.Filled.Lock, contentDescription = "Lock") }
        },
    ) {
        header()
        FormError(state.error?.message)
        if (state.rows.isEmpty()) EmptyList(actions.add)
        state.rows.forEach { row -> IdentityCard(row, actions) }
    }
}

/** No identity to show: say what to do next. */
@Composable
private fun EmptyList(add: () -> Unit) {
    Column(
        Modifier.fillMaxWidth().padding(vertical = 32.dp),
        horizontalAlignment = Alignment.CenterHorizontally,
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Icon(
            Icons.Outlined.Key,
            contentDescription = null,
            tint = MaterialTheme.colorScheme.primary,
            modifier = Modifier.size(56.dp),
        )
        Text("No identities to show", style = MaterialTheme.typography.titleMedium)
        Text("Add an identity from the activation your organisation sent you.", style = MaterialTheme.typography.bodyMedium)
        FilledTonalButton(onClick = add) {
            Icon(Icons.Filled.Add, contentDescription = null)
            Text("Add identity", Modifier.padding(start = 8.dp))
        }
    }
}

@Composable
private fun IdentityCard(row: IdentityRow, actions: IdentityListActions) {
    val identity = row.identity
    val code = row.code
    Card(
        Modifier.fillMaxWidth().clickable {
            if (row.revealed) actions.hide(identity.id) else actions.reveal(identity.id)
        },
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(identity.name, style = MaterialTheme.typography.titleMedium)
            Text(
                listOfNotNull(identity.issuer, kindLabel(identity.kind)).joinToString(" · "),
                style = MaterialTheme.typography.bodySmall,
            )
            if (row.revealed && code != null) {
                Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(16.dp)) {
                    GroupedCode(code.grouped)
                    val remaining = row.remaining
                    if (remaining != null) {
                        Box(contentAlignment = Alignment.Center) {
                            CircularProgressIndicator(progress = { remaining }, modifier = Modifier.size(40.dp))
                            Text("${code.secondsLeft}", style = MaterialTheme.typography.labelMedium)
                        }
                    }
                }
                row.next?.let { next -> Text("Next: ${next.grouped}", style = MaterialTheme.typography.bodyMedium) }
            } else {
                Text("Tap to show the code", style = MaterialTheme.typography.bodyMedium)
            }
            Row(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                if (row.revealed && code != null) {
                    TextButton(onClick = { actions.copy(identity.id) }) {
                        Icon(Icons.Filled.ContentCopy, contentDescription = null, modifier = Modifier.size(18.dp))
                        Text("Copy", Modifier.padding(start = 6.dp))
                    }
                }
                if (identity.answersChallenges) TextButton(onClick = { actions.challenge(identity.id) }) { Text("Challenge") }
                TextButton(onClick = { actions.details(identity.id) }) { Text("Details") }
            }
        }
    }
}

/** The kind's name as people know it. */
fun kindLabel(kind: IdentityKindLabel): String = when (kind) {
    IdentityKindLabel.TOTP -> "TOTP"
    IdentityKindLabel.HOTP -> "HOTP (counter)"
    IdentityKindLabel.STEAM -> "Steam Guard"
    IdentityKindLabel.OCRA -> "OCRA challenge"
    IdentityKindLabel.IDENTITY_GUARD -> "IdentityGuard"
}
