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
import org.tessera.ffi.Code
import org.tessera.ffi.IdentityInfo
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession

/** One row of the identity list: the identity and, when one is showing, its code. */
data class IdentityRow(val identity: IdentityInfo, val code: Code? = null)

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
 * Calls run on [work], one at a time.
 */
class IdentityListViewModel(
    private val session: TokenSession,
    private val scope: CoroutineScope,
    private val work: CoroutineContext = Dispatchers.Default,
    private val clock: UnixClock? = null,
) {
    private val screen = MutableStateFlow(IdentityListScreen())
    private val calls = Mutex()

    /** The screen to draw. */
    val state: StateFlow<IdentityListScreen> = screen.asStateFlow()

    /** Reads the identities again, with the codes of the time-based ones. */
    fun refresh(): Job = call(field = null) {
        val shown = screen.value.rows.associate { it.identity.id to it.code }
        val rows = session.identities().map { identity ->
            val code = if (identity.period != null) codeOf(identity.id) else shown[identity.id]
            IdentityRow(identity, code)
        }
        screen.value = IdentityListScreen(rows)
    }

    /** Fresh codes for the time-based identities. */
    fun tick(): Job = call(field = null) {
        val rows = screen.value.rows.map { row ->
            if (row.identity.period != null) row.copy(code = codeOf(row.identity.id)) else row
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

    /** Shows the code of [identityId] now; for a counter-based identity this uses a counter. */
    fun reveal(identityId: String): Job = call(field = null) {
        val code = codeOf(identityId)
        screen.update { current ->
            current.copy(
                rows = current.rows.map { if (it.identity.id == identityId) it.copy(code = code) else it },
                error = null,
            )
        }
    }

    /** Renames an identity. */
    fun rename(identityId: String, newName: String): Job = call(field = "name") {
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

    private fun codeOf(identityId: String): Code =
        if (clock == null) {
            session.code(identityId)
        } else {
            session.codeAt(identityId, clock.nowSeconds().toULong())
        }

    private fun call(field: String?, body: () -> Unit): Job = scope.launch {
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
