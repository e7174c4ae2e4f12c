package org.tessera.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.tessera.ffi.InputField
import org.tessera.kit.ChallengeScreen

/** Type the question the service shows, see the response to type back. */
@Composable
fun ChallengePage(
    state: ChallengeScreen,
    answer: (String) -> Unit,
    edited: () -> Unit,
    onBack: () -> Unit,
    initialQuestion: String = "",
) {
    var question by remember { mutableStateOf(initialQuestion) }
    Page("Challenge", onBack = onBack) {
        Text(state.identity.name, style = MaterialTheme.typography.titleLarge)
        Text("Type the challenge the service shows you.")
        Field(question, { question = it; edited() }, "Challenge", InputField.CHALLENGE, state.error, digits = true, onSubmit = { answer(question) })
        FormError(state.error.besides(InputField.CHALLENGE))
        Button(onClick = { answer(question) }, modifier = Modifier.fillMaxWidth()) { Text("Get the response") }
        state.response?.let { response ->
            Text("Response", style = MaterialTheme.typography.labelLarge)
            Card(Modifier.fillMaxWidth()) { GroupedCode(response, Modifier.padding(20.dp)) }
        }
    }
}
