package org.tessera.desktop

import java.awt.image.BufferedImage
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import org.tessera.ffi.TokenException
import org.tessera.ffi.decodeQrLuma
import org.tessera.ffi.identityMatchesSearch
import org.tessera.kit.AppModel
import org.tessera.kit.AppPage
import org.tessera.kit.Clipboard
import org.tessera.kit.MonotonicClock
import org.tessera.kit.Shown
import org.tessera.kit.UnlockScreen

/**
 * Tessera Desktop's state over one [AppModel]: what the desktop adds to the phone's pages. The
 * identity search (Ctrl+F), the images a QR code is read from (the screen, an opened or dropped
 * file, a pasted image), links handed over by the system or a second launch, Ctrl+C on a shown
 * code, and the lock after [IdleLock]'s idle time. Every image and link ends on Add Identity's
 * confirmation page ([AppModel.openLink]); the core reads, checks and adds.
 */
class DesktopApp(
    val token: OpenedToken,
    private val scope: CoroutineScope,
    val clipboard: Clipboard,
    private val screens: ScreenSource = RobotScreens,
    private val windows: WindowSource? = platformWindows(),
    clock: MonotonicClock = MonotonicClock { System.nanoTime() / 1_000_000 },
    private val idleCheckEvery: Duration = 1.seconds,
) : AutoCloseable {
    /** The phone app's model: the same pages and view models. */
    val model = AppModel(token.session, scope, clipboard)

    private val query = MutableStateFlow<String?>(null)
    private val notice = MutableStateFlow<String?>(null)
    private val raises = MutableStateFlow(0)
    private val choices = MutableStateFlow<List<ShownWindow>?>(null)
    private val idle = IdleLock(token.session, clock)
    private val idleJob: Job = scope.launch {
        while (true) {
            delay(idleCheckEvery)
            if (idle.due()) model.lock()
        }
    }

    /** The search typed after Ctrl+F; null while the search field is closed. */
    val search: StateFlow<String?> = query.asStateFlow()

    /** How many times a later launch asked for the window: the window comes forward on each. */
    val raiseRequests: StateFlow<Int> = raises.asStateFlow()

    /** Whether this platform lists windows to scan one ([listWindows]); else the whole screen only. */
    val scansWindows: Boolean get() = windows != null

    /** The windows offered by "Scan a window", after [listWindows]; null while none are offered. */
    val windowChoices: StateFlow<List<ShownWindow>?> = choices.asStateFlow()

    /** What the last image told the person (no QR code in it, or it could not be read). */
    val imageNotice: StateFlow<String?> = notice.asStateFlow()

    /**
     * Shows Add Identity's confirmation page for an igmobileotp:// or otpauth:// link (the
     * command line's, the system's URL handler's, or one a second launch handed over). The core
     * reads the link; nothing is added until the person confirms.
     */
    fun openLink(link: String) {
        notice.value = null
        model.openLink(link.trim())
    }

    /**
     * A later launch handed over [link] (null when it had none): the window comes forward
     * ([raiseRequests]) and the link goes to its confirmation page.
     */
    fun handedOver(link: String?) {
        showWindow()
        link?.let(::openLink)
    }

    /**
     * Asks for the window restored, in front and focused ([raiseRequests]): the tray's Show,
     * and what a later launch does.
     */
    fun showWindow() {
        raises.update { it + 1 }
    }

    /** Reads the QR code in [image] and shows its link for confirmation; says so when there is none. */
    fun addFromImage(image: BufferedImage?, what: String): Boolean {
        if (image == null) {
            notice.value = "$what is not a picture Tessera can read (use a PNG or JPEG file)."
            return false
        }
        val text = readQr(image)
        if (text == null) {
            notice.value = "No QR code was found in $what."
            return false
        }
        openLink(text)
        return true
    }

    /** Captures every screen and shows the first QR code's link for confirmation. */
    fun scanScreens(): Boolean {
        val captures = try {
            screens.capture()
        } catch (e: Exception) {
            notice.value = "The screen could not be captured (${e.message ?: e.javaClass.simpleName})."
            return false
        }
        val text = captures.firstNotNullOfOrNull(::readQr)
        if (text == null) {
            notice.value = "No QR code was found on the screen. Show the QR code on the screen and scan again."
            return false
        }
        openLink(text)
        return true
    }

    /** Lists the windows on the screen for the person to choose one to scan; says so when it cannot. */
    fun listWindows() {
        val source = windows ?: return
        notice.value = null
        choices.value = try {
            source.windows()
        } catch (e: Exception) {
            notice.value = "The windows could not be listed (${e.message ?: e.javaClass.simpleName})."
            null
        }
        if (choices.value?.isEmpty() == true) notice.value = "No windows to scan were found."
    }

    /** Captures only [window] and shows its QR code's link for confirmation. */
    fun scanWindow(window: ShownWindow): Boolean {
        val source = windows ?: return false
        choices.value = null
        val capture = try {
            source.capture(window)
        } catch (e: Exception) {
            notice.value = "The window \"${window.title}\" could not be captured (${e.message ?: e.javaClass.simpleName})."
            return false
        }
        return addFromImage(capture, "the window \"${window.title}\"")
    }

    /** Opens the search field (Ctrl+F) on the identity list. */
    fun openSearch() {
        if (model.shown.value == Shown.Page(AppPage.List)) query.value = query.value ?: ""
    }

    /** The search field changed. */
    fun editSearch(text: String) {
        query.value = text
    }

    /** Closes the search field and shows every identity again. */
    fun closeSearch() {
        query.value = null
    }

    /** Whether the list shows the identity, by the core's search. */
    fun shows(identity: org.tessera.ffi.IdentitySummary): Boolean =
        query.value.let { it == null || identityMatchesSearch(identity, it) }

    /** Ctrl+C: copies the code shown on the list (the only one, or none when several are shown). */
    fun copyShownCode(): Boolean {
        if (model.shown.value != Shown.Page(AppPage.List)) return false
        val shown = model.list.state.value.rows.filter { it.revealed && it.code != null && shows(it.identity) }
        val row = shown.singleOrNull() ?: return false
        return model.list.copy(row.identity.id) != null
    }

    /** Escape: closes the search, else goes back a page as the phone's Back does. */
    fun back(): Boolean {
        if (query.value != null) {
            closeSearch()
            return true
        }
        notice.value = null
        return model.back()
    }

    /** The screen locked ([ScreenLockWatch], from a bus thread): locks as the tray's Lock does. */
    fun screenLocked() {
        scope.launch { model.lock() }
    }

    /** A key press or mouse move in the window: the idle time starts again. */
    fun activity() = idle.activity()

    /** The window was minimised or restored: the phone's background and foreground. */
    fun windowShown(shown: Boolean) = if (shown) model.movedToForeground() else model.movedToBackground()

    /** Whether the token is open now (the tray's Lock is offered then). */
    fun unlocked(): Boolean = model.unlock.state.value is UnlockScreen.Unlocked

    override fun close() {
        idleJob.cancel()
        model.close()
    }

    private fun readQr(image: BufferedImage): String? {
        val luma = lumaOf(image)
        return try {
            decodeQrLuma(luma.width.toUInt(), luma.height.toUInt(), luma.width.toUInt(), luma.bytes)
        } catch (_: TokenException) {
            null
        }
    }
}
