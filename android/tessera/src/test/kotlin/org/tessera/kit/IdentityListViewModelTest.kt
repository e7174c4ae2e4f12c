package org.tessera.kit

import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test
import org.tessera.ffi.FlowStep
import org.tessera.ffi.Algorithm
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenException
import org.tessera.ffi.totpCode

/** The identity list over a real token, its clock pinned to virtual time. */
class IdentityListViewModelTest {
    @Test
    fun rowsCodesRevealRenameRemove() = runTest {
        val token = newOtpauthToken()
        val session = token.session
        val hotp = session.addIdentity().use { flow ->
            (flow.enterLink(HOTP_LINK) as FlowStep.Done).identity
        }
        var now = Seed.T.toLong()
        val vm = IdentityListViewModel(session, this, StandardTestDispatcher(testScheduler)) { now }

        vm.refresh().join()
        val rows = vm.state.value.rows.associateBy { it.identity.id }
        assertEquals(setOf(token.identity.id, hotp.id), rows.keys)
        val totpAtT = totpCode(TOTP_SECRET, Algorithm.SHA1, 6u, 30u, Seed.T)
        assertEquals(totpAtT, rows.getValue(token.identity.id).code?.code)
        assertNull(rows.getValue(hotp.id).code, "a counter code is only made on request")

        vm.reveal(hotp.id).join()
        assertEquals("755224", vm.row(hotp.id).code?.code)
        assertEquals(0uL, vm.row(hotp.id).code?.counter)

        now += 30
        vm.tick().join()
        assertEquals(totpCode(TOTP_SECRET, Algorithm.SHA1, 6u, 30u, Seed.T + 30uL), vm.row(token.identity.id).code?.code)
        assertNotEquals(totpAtT, vm.row(token.identity.id).code?.code)
        assertEquals("755224", vm.row(hotp.id).code?.code, "ticking does not use up counters")

        vm.rename(token.identity.id, "work").join()
        assertEquals("work", vm.row(token.identity.id).identity.name)
        vm.rename(token.identity.id, "").join()
        assertEquals(InputField.NAME, vm.state.value.error?.field)

        vm.remove(hotp.id).join()
        assertEquals(listOf(token.identity.id), vm.state.value.rows.map { it.identity.id })
        assertNull(vm.state.value.error)

        session.lock()
        vm.tick().join()
        val notUnlocked = assertThrows(TokenException.NotUnlocked::class.java) { session.identities() }
        assertEquals(FieldError(null, notUnlocked.detail), vm.state.value.error)
        session.close()
    }

    @Test
    fun tickingRefreshesOncePerInterval() = runTest {
        val token = newOtpauthToken()
        val vm = IdentityListViewModel(token.session, this, StandardTestDispatcher(testScheduler)) {
            Seed.T.toLong() + testScheduler.currentTime / 1000
        }
        vm.refresh().join()
        val ticking = vm.startTicking()
        testScheduler.advanceTimeBy(10_500)
        // T is 20 s into its period; 10 s later a new period began.
        assertEquals(30u, vm.row(token.identity.id).code?.secondsLeft)
        ticking.cancel()
        token.session.close()
    }

    @Test
    fun tapRevealsCountdownNextCodeNearExpiry() = runTest {
        val token = newOtpauthToken()
        val id = token.identity.id
        var now = Seed.T.toLong()
        val vm = IdentityListViewModel(token.session, this, StandardTestDispatcher(testScheduler)) { now }
        vm.refresh().join()
        assertFalse(vm.row(id).revealed)
        vm.reveal(id).join()
        assertTrue(vm.row(id).revealed)
        val code = requireNotNull(vm.row(id).code)
        // T is 20 s into its 30 s period.
        assertEquals(10u, code.secondsLeft)
        assertEquals(10f / 30f, vm.row(id).remaining)
        assertEquals(totpCode(TOTP_SECRET, Algorithm.SHA1, 6u, 30u, Seed.T).chunked(3).joinToString(" "), code.grouped)
        assertNull(vm.row(id).next, "6 s or more left: no next code")

        now += 5
        vm.tick().join()
        assertEquals(5u, vm.row(id).code?.secondsLeft)
        assertEquals(totpCode(TOTP_SECRET, Algorithm.SHA1, 6u, 30u, Seed.T + 10uL), vm.row(id).next?.code)
        assertTrue(vm.row(id).revealed, "ticking keeps the code shown")

        now += 5
        vm.tick().join()
        assertEquals(vm.row(id).code?.code, totpCode(TOTP_SECRET, Algorithm.SHA1, 6u, 30u, Seed.T + 10uL))
        assertNull(vm.row(id).next)

        vm.hide(id)
        assertFalse(vm.row(id).revealed)
        token.session.close()
    }

    @Test
    fun aCopiedCodeIsClearedAfterThirtySecondsUnlessReplaced() = runTest {
        val token = newOtpauthToken()
        val id = token.identity.id
        val clipboard = MemoryClipboard()
        val vm = IdentityListViewModel(
            token.session,
            this,
            StandardTestDispatcher(testScheduler),
            clock = { Seed.T.toLong() },
            clipboard = clipboard,
        )
        vm.refresh().join()
        val code = vm.row(id).code?.code
        vm.copy(id)
        assertEquals(totpCode(TOTP_SECRET, Algorithm.SHA1, 6u, 30u, Seed.T), clipboard.current())
        testScheduler.advanceTimeBy(29_999)
        assertEquals(code, clipboard.current())
        testScheduler.advanceTimeBy(2)
        assertNull(clipboard.current())

        vm.copy(id)
        clipboard.copiedElsewhere("something the person copied since")
        testScheduler.advanceTimeBy(31_000)
        assertEquals("something the person copied since", clipboard.current())
        assertNull(IdentityListViewModel(token.session, this).copy(id), "no clipboard, nothing to copy to")
        token.session.close()
    }

    @Test
    fun aCopiedCodeIsClearedWhenThePlatformCannotReadTheClipboardBack() = runTest {
        val token = newOtpauthToken()
        val id = token.identity.id
        val clipboard = MemoryClipboard()
        val vm = IdentityListViewModel(
            token.session,
            this,
            StandardTestDispatcher(testScheduler),
            clock = { Seed.T.toLong() },
            clipboard = clipboard,
        )
        vm.refresh().join()
        val code = vm.row(id).code?.code
        vm.copy(id)
        // Android 10+: the app went to the background and reads nothing of the clipboard now.
        clipboard.readable = false
        testScheduler.advanceTimeBy(29_999)
        assertEquals(code, clipboard.current())
        testScheduler.advanceTimeBy(2)
        assertNull(clipboard.current(), "the app's record says the clip is its own: cleared")

        // A second copy supersedes the first: the first one's timer leaves it alone.
        vm.copy(id)
        testScheduler.advanceTimeBy(10_000)
        vm.copy(id)
        testScheduler.advanceTimeBy(20_001)
        assertEquals(code, clipboard.current(), "cleared only 30 s after the latest copy")
        testScheduler.advanceTimeBy(10_000)
        assertNull(clipboard.current())
        token.session.close()
    }

    private fun IdentityListViewModel.row(id: String) = state.value.rows.single { it.identity.id == id }

    private companion object {
        const val TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        const val HOTP_LINK =
            "otpauth://hotp/Example:counter?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&counter=0"
    }
}
