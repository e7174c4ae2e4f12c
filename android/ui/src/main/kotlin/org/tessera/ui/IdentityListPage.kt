package org.tessera.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material3.Card
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

/** The identities; a tap shows (or hides) a code, with its countdown and, near the end, the next one. */
@Composable
fun IdentityListPage(state: IdentityListScreen, actions: IdentityListActions) {
    Page(
        "Tessera",
        actions = {
            TextButton(onClick = actions.add) { Text("Add") }
            TextButton(onClick = actions.settings) { Text("Settings") }
            TextButton(onClick = actions.lock) { Text("Lock") }
        },
    ) {
        FormError(state.error?.message)
        if (state.rows.isEmpty()) Text("No identities yet. Tap Add to add one.")
        state.rows.forEach { row -> IdentityCard(row, actions) }
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
                if (row.revealed && code != null) TextButton(onClick = { actions.copy(identity.id) }) { Text("Copy") }
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
