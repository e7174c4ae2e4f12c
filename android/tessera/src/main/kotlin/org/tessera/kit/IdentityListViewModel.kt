package org.tessera.kit

import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import org.tessera.ffi.CodeView
import org.tessera.ffi.IdentitySummary
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession

/**
 * One row of the identity list: the identity, its current [code] (kept fresh for time-based
 * identities; made only on request for counter-based ones), whether the person tapped to
 * [revealed] it, and the [next] code once the current one has [NEXT_CODE_SECONDS] or fewer left.
 */
data class IdentityRow(
    val identity: IdentitySummary,
    val code: CodeView? = null,
    val revealed: Boolean = false,
    val next: CodeView? = null,
) {
    /** The share of the code's period still left, for the countdown ring (null: no period). */
    val remaining: Float?
        get() {
            val left = code?.secondsLeft ?: return null
            val period = code.period ?: return null
            return left.toFloat() / period.toFloat()
        }
}

/** Seconds left on a code from which the list also shows the next one. */
const val NEXT_CODE_SECONDS: UInt = 5u

/** What the identity list shows, and the last refusal. */
data class IdentityListScreen(
    val rows: List<IdentityRow> = emptyList(),
    val error: FieldError? = null,
)

/**
 * The identity list's state holder: the identities and their current codes.
 *
 * Time-based identities (those with a period) get a fresh code on every [refresh] and [tick];
 * a counter-based code is made only by [reveal], since each one uses up a counter. Codes come
 * from the core ([TokenSession.code], or [TokenSession.codeAt] at [clock]'s time when given).
 * Calls run on [work], one at a time. [copy] puts a code on [clipboard] and clears it after
 * [CLIPBOARD_CLEAR_AFTER] if it still holds that code.
 */
class IdentityListViewModel(
    private val session: TokenSession,
    private val scope: CoroutineScope,
    private val work: CoroutineContext = Dispatchers.Default,
    private val clipboard: Clipboard? = null,
    private val clock: UnixClock? = null,
) {
    private val screen = MutableStateFlow(IdentityListScreen())
    private val calls = Mutex()

    /** The screen to draw. */
    val state: StateFlow<IdentityListScreen> = screen.asStateFlow()

    /** Reads the identities again, with the codes of the time-based ones. */
    fun refresh(): Job = call(field = null) {
        val shown = screen.value.rows.associateBy { it.identity.id }
        val rows = session.identities().map { identity ->
            val before = shown[identity.id]
            val row = IdentityRow(identity, before?.code, before?.revealed ?: false)
            if (identity.period != null) withCode(row) else row
        }
        screen.value = IdentityListScreen(rows)
    }

    /** Fresh codes for the time-based identities. */
    fun tick(): Job = call(field = null) {
        val rows = screen.value.rows.map { row ->
            if (row.identity.period != null) withCode(row) else row
        }
        screen.update { it.copy(rows = rows, error = null) }
    }

    /** Calls [tick] every [interval] until the returned job is cancelled. */
    fun startTicking(interval: Duration = 1.seconds): Job = scope.launch {
        while (isActive) {
            tick().join()
            delay(interval)
        }
    }

    /** Shows the code of [identityId] (a tap); for a counter-based identity this uses a counter. */
    fun reveal(identityId: String): Job = call(field = null) {
        val row = screen.value.rows.firstOrNull { it.identity.id == identityId } ?: return@call
        val shown = withCode(row).copy(revealed = true)
        screen.update { current ->
            current.copy(
                rows = current.rows.map { if (it.identity.id == identityId) shown else it },
                error = null,
            )
        }
    }

    /** Hides the code of [identityId] again (a second tap). */
    fun hide(identityId: String) = screen.update { current ->
        current.copy(rows = current.rows.map { if (it.identity.id == identityId) it.copy(revealed = false) else it })
    }

    /** Copies the shown code of [identityId]; null when there is no code or no clipboard. */
    fun copy(identityId: String): Job? {
        val code = screen.value.rows.firstOrNull { it.identity.id == identityId }?.code ?: return null
        val board = clipboard ?: return null
        return copyForAWhile(board, code.code, scope)
    }

    /** Renames an identity. */
    fun rename(identityId: String, newName: String): Job = call(field = InputField.NAME) {
        val renamed = session.rename(identityId, newName)
        screen.update { current ->
            current.copy(
                rows = current.rows.map {
                    if (it.identity.id == identityId) it.copy(identity = renamed) else it
                },
                error = null,
            )
        }
    }

    /** Removes an identity for good. */
    fun remove(identityId: String): Job = call(field = null) {
        session.remove(identityId)
        screen.update { current ->
            current.copy(rows = current.rows.filter { it.identity.id != identityId }, error = null)
        }
    }

    /** [row] with a fresh code, and the next one when the fresh one is about to run out. */
    private fun withCode(row: IdentityRow): IdentityRow {
        val code = codeOf(row.identity.id)
        val left = code.secondsLeft
        val until = code.validUntil
        val next = if (left != null && until != null && left <= NEXT_CODE_SECONDS) {
            session.codeAt(row.identity.id, until)
        } else {
            null
        }
        return row.copy(code = code, next = next)
    }

    private fun codeOf(identityId: String): CodeView =
        if (clock == null) {
            session.code(identityId)
        } else {
            session.codeAt(identityId, clock.nowSeconds().toULong())
        }

    private fun call(field: InputField?, body: () -> Unit): Job = scope.launch {
        calls.withLock {
            withContext(work) {
                try {
                    body()
                } catch (e: TokenException) {
                    screen.update { it.copy(error = e.toFieldError(field)) }
                }
            }
        }
    }
}
