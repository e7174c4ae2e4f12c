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
import org.tessera.ffi.IdentitySummary
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession
import org.tessera.ffi.groupCode

/**
 * What the challenge screen shows: the identity, the last [response] (grouped for reading) and
 * the last refusal (beside [InputField.CHALLENGE], or [InputField.PIN] for suites that take
 * the organisation's PIN).
 */
data class ChallengeScreen(
    val identity: IdentitySummary,
    val response: String? = null,
    val error: FieldError? = null,
)

/**
 * The challenge screen's state holder for one identity that answers challenges (OCRA). The
 * core checks the question and computes the response; a refused question shows its words
 * beside the challenge field.
 */
class ChallengeViewModel(
    private val session: TokenSession,
    identity: IdentitySummary,
    private val scope: CoroutineScope,
    private val work: CoroutineContext = Dispatchers.Default,
) {
    private val screen = MutableStateFlow(ChallengeScreen(identity))

    /** The screen to draw. */
    val state: StateFlow<ChallengeScreen> = screen.asStateFlow()

    /** Answers [question]; [ocraPin] for suites that include the organisation's PIN. */
    fun answer(question: String, ocraPin: String? = null): Job = scope.launch {
        val id = screen.value.identity.id
        val next = withContext(work) {
            try {
                val response = session.challenge(id, question, ocraPin)
                screen.value.copy(response = groupCode(response), error = null)
            } catch (e: TokenException) {
                screen.value.copy(response = null, error = e.toFieldError(InputField.CHALLENGE))
            }
        }
        screen.value = next
    }

    /** Forgets the response and the error (the person edits the question). */
    fun clear() = screen.update { it.copy(response = null, error = null) }
}
