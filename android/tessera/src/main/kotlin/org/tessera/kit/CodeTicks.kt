package org.tessera.kit

import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOn
import org.tessera.ffi.CodeView
import org.tessera.ffi.TokenSession

/**
 * The identity's code, once now and then once per [interval] for as long as it is collected:
 * what a code screen with a countdown shows. Each emission is a fresh call to the core
 * ([TokenSession.code], or [TokenSession.codeAt] at [clock]'s time when a clock is given), so
 * [CodeView.secondsLeft] counts down and the code changes when its period ends.
 *
 * A counter-based code (one without a period) is emitted once and the flow completes: every
 * further call would use up another counter.
 *
 * Failures (the token was locked, the identity removed) end the flow with the
 * [org.tessera.ffi.TokenException] the core threw.
 */
fun TokenSession.codeTicks(
    identityId: String,
    interval: Duration = 1.seconds,
    clock: UnixClock? = null,
    context: CoroutineContext = Dispatchers.Default,
): Flow<CodeView> = flow {
    while (true) {
        val code = if (clock == null) {
            code(identityId)
        } else {
            codeAt(identityId, clock.nowSeconds().toULong())
        }
        emit(code)
        if (code.period == null) break
        delay(interval)
    }
}.flowOn(context)
