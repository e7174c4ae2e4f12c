package org.tessera.kit

import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.FlowStep
import org.tessera.ffi.TokenSession

/**
 * The app's state holder over a real token: what a recreated screen finds in it (the Android
 * activity is recreated on rotation while the ViewModel holding this model stays), where system
 * Back goes from each page, and that codes tick only in the foreground.
 */
class AppModelTest {
    private var away = 0L
    private var unixTime = Seed.T.toLong()

    private fun TestScope.model(session: TokenSession) = AppModel(
        session,
        backgroundScope,
        MemoryClipboard(),
        clock = { away },
        work = StandardTestDispatcher(testScheduler),
        codeClock = { unixTime },
    ).also { runCurrent() }

    @Test
    fun aRecreatedScreenFindsThePageAndTheRecoveryKeyShownOnlyOnce() = runTest {
        val token = newOtpauthToken()
        val model = model(token.session)
        assertEquals(Shown.Page(AppPage.List), model.shown.value)

        model.openSettings()
        val settings = assertInstanceOf(AppPage.Settings::class.java, model.page.value).vm
        settings.makeRecoveryKey(Seed.PIN).join()
        runCurrent()
        val key = requireNotNull(settings.state.value.recoveryKey) { "no recovery key shown" }

        // What a new activity draws from the same model: the settings with the same key, the
        // token still open (no PIN asked again), the same session.
        val redrawn = assertInstanceOf(Shown.Page::class.java, model.shown.value).page
        assertSame(settings, assertInstanceOf(AppPage.Settings::class.java, redrawn).vm)
        assertEquals(key, settings.state.value.recoveryKey)
        assertEquals(UnlockScreen.Unlocked(), model.unlock.state.value)
        assertNotEquals(token.recoveryKey, key, "a new recovery key replaces the first")
        model.close()
    }

    @Test
    fun theFirstTokensRecoveryKeyStaysOnItsDonePage() = runTest {
        val session = TokenSession(tokenFolder().toString(), null)
        val model = model(session)
        assertEquals(Shown.Unlock(UnlockScreen.NoToken), model.shown.value)

        val add = model.startAdd()
        add.enterLink(Seed.OTPAUTH).join()
        add.setPin(Seed.PIN).join()
        add.confirmPin(Seed.PIN).join()
        runCurrent()
        val done = assertInstanceOf(FlowStep.Done::class.java, add.state.value.step)
        assertNotNull(done.recoveryKey)

        val redrawn = assertInstanceOf(Shown.Page::class.java, model.shown.value).page
        assertSame(add, assertInstanceOf(AppPage.Add::class.java, redrawn).vm)
        assertEquals(done, add.state.value.step)
        model.close()
    }

    @Test
    fun backGoesFromEachInnerPageToTheListAndLeavesTheListToTheSystem() = runTest {
        val token = newOtpauthToken()
        val model = model(token.session)
        assertFalse(model.shown.value.takesBack)
        assertFalse(model.back(), "Back on the list closes the app")

        model.openSettings()
        runCurrent()
        assertTrue(model.shown.value.takesBack)
        assertTrue(model.back())
        runCurrent()
        assertEquals(Shown.Page(AppPage.List), model.shown.value)

        model.openDetails(token.identity)
        val details = assertInstanceOf(AppPage.Details::class.java, model.page.value).vm
        details.requestRemove()
        assertTrue(model.back())
        assertFalse(details.state.value.confirmingRemove, "Back cancels the removal first")
        assertSame(details, (model.page.value as AppPage.Details).vm)
        assertTrue(model.back())
        assertEquals(AppPage.List, model.page.value)

        val add = model.startAdd()
        add.choose(AddMethod.Type)
        assertTrue(model.back())
        assertEquals(AddMethod.Scan, add.state.value.method, "Back from the form returns to the scanner")
        assertTrue(model.back())
        assertEquals(AppPage.List, model.page.value)
        model.close()
    }

    @Test
    fun backIsTheSystemsWhileTheTokenIsLocked() = runTest {
        val token = newOtpauthToken()
        val model = model(token.session)
        model.openSettings()
        model.lock()
        runCurrent()
        assertEquals(Shown.Unlock(UnlockScreen.EnterPin(5u)), model.shown.value)
        assertFalse(model.shown.value.takesBack)
        assertFalse(model.back())
        model.close()
    }

    @Test
    fun codesTickOnlyWhileTheAppIsInTheForeground() = runTest {
        val token = newOtpauthToken()
        val model = model(token.session)
        val id = token.identity.id
        assertTrue(model.ticking.value)
        val first = model.list.state.value.rows.single { it.identity.id == id }.code

        unixTime += 30
        advanceTimeBy(1.5.seconds)
        val ticked = model.list.state.value.rows.single { it.identity.id == id }.code
        assertEquals(token.session.codeAt(id, unixTime.toULong()), ticked)
        assertNotEquals(first, ticked)

        token.session.setAutoLockSeconds(300u)
        model.movedToBackground()
        runCurrent()
        assertFalse(model.ticking.value)
        unixTime += 30
        advanceTimeBy(10.seconds)
        assertEquals(ticked, model.list.state.value.rows.single { it.identity.id == id }.code, "no tick while away")

        model.movedToForeground()
        runCurrent()
        assertTrue(model.ticking.value)
        assertEquals(token.session.codeAt(id, unixTime.toULong()), model.list.state.value.rows.single { it.identity.id == id }.code)
        model.close()
    }

    @Test
    fun aLinkOpenedWhileLockedWaitsForTheUnlockThenAsks() = runTest {
        val token = newOtpauthToken()
        val model = model(token.session)
        model.lock()
        model.openLink(LINK)
        runCurrent()
        assertInstanceOf(Shown.Unlock::class.java, model.shown.value)

        model.unlock.submitPin(Seed.PIN).join()
        runCurrent()
        val add = assertInstanceOf(AppPage.Add::class.java, (model.shown.value as Shown.Page).page).vm
        assertEquals("GitHub", requireNotNull(add.state.value.confirmLink) { "no confirmation" }.issuer)
        assertEquals(1, token.session.identities().size, "nothing is added before the person confirms")
        model.close()
    }

    @Test
    fun closeStopsTheCodesAndClosesTheSession() = runTest {
        val token = newOtpauthToken()
        val model = model(token.session)
        assertTrue(model.ticking.value)
        model.close()
        assertFalse(model.ticking.value)
        assertThrows(Exception::class.java) { token.session.status() }
        advanceTimeBy(5.seconds)
    }

    private companion object {
        const val LINK = "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub"
    }
}
