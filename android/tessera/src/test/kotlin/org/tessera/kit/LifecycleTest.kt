package org.tessera.kit

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.FlowStep
import org.tessera.ffi.TokenSession

/**
 * Objects after close()/destroy(): a call fails cleanly with an exception (the generated code's
 * IllegalStateException), never a crash; closing twice is harmless.
 */
class LifecycleTest {
    @Test
    fun aSessionCallAfterCloseFailsCleanly() {
        val token = newOtpauthToken()
        val session = token.session
        session.close()
        assertTrue(session.uniffiIsDestroyed)
        val error = assertThrows(Exception::class.java) { session.codeAt(token.identity.id, Seed.T) }
        assertInstanceOf(IllegalStateException::class.java, error)
        assertThrows(Exception::class.java) { session.status() }
        session.close()
        session.destroy()
    }

    @Test
    fun aFlowCallAfterDestroyFailsCleanly() {
        TokenSession(tokenFolder().toString(), null).use { session ->
            val flow = session.addIdentity()
            flow.destroy()
            assertThrows(IllegalStateException::class.java) { flow.enterLink(Seed.OTPAUTH) }
            assertThrows(IllegalStateException::class.java) { flow.step() }
            // The session is unaffected and can start another flow.
            session.addIdentity().use { assertEquals(FlowStep.Start, it.step()) }
        }
    }

    @Test
    fun aFlowKeepsWorkingAfterItsSessionObjectIsClosed() {
        // The Rust flow holds its own reference to the token: closing the Kotlin session object
        // first must not leave the flow pointing at freed memory.
        val session = TokenSession(tokenFolder().toString(), null)
        val flow = session.addIdentity()
        session.close()
        assertEquals(FlowStep.NeedsPin, flow.enterLink(Seed.OTPAUTH))
        assertEquals(FlowStep.ConfirmPin, flow.setPin(Seed.PIN))
        assertInstanceOf(FlowStep.Done::class.java, flow.confirmPin(Seed.PIN))
        flow.close()
    }
}
