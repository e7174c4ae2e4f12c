package org.tessera.kit

import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.collectLatest
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.launch
import org.tessera.ffi.FlowStep
import org.tessera.ffi.IdentitySummary
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession

/** The page the person opened from the identity list (the list itself when none). */
sealed interface AppPage {
    /** The identity list. */
    data object List : AppPage

    /** Add Identity, or a reactivation. */
    class Add(val vm: AddIdentityViewModel) : AppPage

    /** One identity's details. */
    class Details(val vm: IdentityDetailsViewModel) : AppPage

    /** Answering a challenge with an OCRA identity. */
    class Challenge(val vm: ChallengeViewModel) : AppPage

    /** The settings. */
    class Settings(val vm: SettingsViewModel) : AppPage
}

/** What is on screen: the unlock pages while the token is not open, else the opened page. */
sealed interface Shown {
    /** The unlock pages (PIN, locked out, no token yet). */
    data class Unlock(val screen: UnlockScreen) : Shown

    /** An open token's page. */
    data class Page(val page: AppPage) : Shown
}

/** Whether the system Back gesture belongs to the app here ([AppModel.back]) rather than closing it. */
val Shown.takesBack: Boolean
    get() = this is Shown.Page && page != AppPage.List

/**
 * Everything the app keeps while it runs, over one [session]: the unlock and list state holders,
 * the page on top with its own state holder, a link waiting to be added, and the auto-lock.
 *
 * It outlives the screens: the Android app keeps it in an androidx ViewModel, so a rotation or
 * any other configuration change draws the same pages again from it instead of opening a
 * second session, asking for the PIN again or losing a recovery key shown only once. [close]
 * ends it (ViewModel.onCleared) and closes the session.
 *
 * [clock] measures the time away for the auto-lock; [codeClock] (tests) replaces the wall clock
 * for codes. Codes are refreshed every [tickEvery] only while the token is open and the app is in the
 * foreground ([movedToBackground] / [movedToForeground], from the host's lifecycle), so nothing
 * runs while the app is away.
 */
class AppModel(
    val session: TokenSession,
    private val scope: CoroutineScope,
    private val clipboard: Clipboard? = null,
    clock: MonotonicClock = MonotonicClock { System.nanoTime() / 1_000_000 },
    private val work: CoroutineContext = Dispatchers.Default,
    codeClock: UnixClock? = null,
    private val tickEvery: Duration = 1.seconds,
) : AutoCloseable {
    /** The unlock pages' state holder. */
    val unlock = UnlockViewModel(session, scope, work)

    /** The identity list's state holder. */
    val list = IdentityListViewModel(session, scope, work, clipboard, codeClock)

    private val autoLock = AutoLock(session, clock)
    private val current = MutableStateFlow<AppPage>(AppPage.List)
    private val inForeground = MutableStateFlow(true)
    private val waitingLink = MutableStateFlow<String?>(null)
    private val codesTicking = MutableStateFlow(false)
    private val jobs = mutableListOf<Job>()

    private val showingNow = MutableStateFlow(showing(unlock.state.value, current.value))

    /** The page opened from the list (drawn only while the token is open, except Add Identity). */
    val page: StateFlow<AppPage> = current.asStateFlow()

    /** What to draw. */
    val shown: StateFlow<Shown> = showingNow.asStateFlow()

    /** Whether the codes are being refreshed (the token is open and the app in the foreground). */
    val ticking: StateFlow<Boolean> = codesTicking.asStateFlow()

    init {
        unlock.refresh()
        jobs += scope.launch {
            combine(unlock.state, current, ::showing).collect { showingNow.value = it }
        }
        jobs += scope.launch {
            combine(unlock.state, inForeground) { state, foreground -> state is UnlockScreen.Unlocked && foreground }
                .distinctUntilChanged()
                .collectLatest { on ->
                    codesTicking.value = on
                    if (on) {
                        list.refresh().join()
                        val ticks = list.startTicking(tickEvery)
                        try {
                            awaitCancellation()
                        } finally {
                            ticks.cancel()
                        }
                    }
                }
        }
        jobs += scope.launch {
            combine(unlock.state, waitingLink) { state, link -> link.takeIf { canAdd(state) } }
                .collect { link ->
                    if (link == null) return@collect
                    // The state read may be a moment old (a lock not yet shown): then the link
                    // waits for the next unlock.
                    val add = try {
                        startAdd()
                    } catch (_: TokenException) {
                        return@collect
                    }
                    waitingLink.value = null
                    add.openLink(link)
                }
        }
    }

    /** Opens Add Identity. */
    fun startAdd(): AddIdentityViewModel =
        AddIdentityViewModel(session.addIdentity(), scope, work, clipboard).also { current.value = AppPage.Add(it) }

    /**
     * A link the system opened the app with: Add Identity shows it for confirmation as soon as
     * the token is open (or at once when there is no token yet).
     */
    fun openLink(link: String) {
        waitingLink.value = link
    }

    /** Opens the details of [identity]. */
    fun openDetails(identity: IdentitySummary) {
        current.value = AppPage.Details(IdentityDetailsViewModel(session, identity, scope, work))
    }

    /** Opens the challenge page of [identity]. */
    fun openChallenge(identity: IdentitySummary) {
        current.value = AppPage.Challenge(ChallengeViewModel(session, identity, scope, work))
    }

    /** Opens the settings. */
    fun openSettings() {
        current.value = AppPage.Settings(SettingsViewModel(session, scope, work).also { it.refresh() })
    }

    /** Starts a reactivation from the details page; Add Identity opens when the core agrees. */
    fun reactivate(details: IdentityDetailsViewModel): Job = scope.launch {
        details.reactivate(clipboard)?.let { current.value = AppPage.Add(it) }
    }

    /** Back to the identity list, with the token's state and the list read again. */
    fun backToList() {
        current.value = AppPage.List
        unlock.refresh()
        list.refresh()
    }

    /** Locks the token now. */
    fun lock() {
        session.lock()
        unlock.refresh()
    }

    /**
     * The system Back gesture. Returns false when the app has nothing to go back to (the list or
     * the unlock pages), so the system closes the app; otherwise it does what the page's own Back
     * does: an inner Add Identity page goes back to the scanner, an opened link or a removal
     * waiting for confirmation is cancelled, and any other page returns to the list.
     */
    fun back(): Boolean {
        val shownNow = showing(unlock.state.value, current.value)
        if (!shownNow.takesBack) return false
        when (val page = (shownNow as Shown.Page).page) {
            AppPage.List -> return false
            is AppPage.Add -> {
                val state = page.vm.state.value
                val starting = state.step == FlowStep.Start
                when {
                    starting && state.confirmLink != null -> page.vm.cancelLink()
                    starting && state.method != null && state.method != AddMethod.Scan -> page.vm.choose(AddMethod.Scan)
                    else -> backToList()
                }
            }
            is AppPage.Details ->
                if (page.vm.state.value.confirmingRemove) page.vm.cancelRemove() else backToList()
            is AppPage.Challenge, is AppPage.Settings -> backToList()
        }
        return true
    }

    /** The app left the foreground: codes stop, and the auto-lock delay starts. */
    fun movedToBackground() {
        inForeground.value = false
        autoLock.movedToBackground()
        unlock.refresh()
    }

    /** The app is back: locks when it was away for the delay, and codes tick again. */
    fun movedToForeground() {
        if (autoLock.movedToForeground()) unlock.refresh()
        inForeground.value = true
    }

    /** Stops the ticking and closes the session; later calls on the session fail cleanly. */
    override fun close() {
        jobs.forEach { it.cancel() }
        codesTicking.value = false
        session.close()
    }

    private fun canAdd(state: UnlockScreen) = state is UnlockScreen.Unlocked || state is UnlockScreen.NoToken

    private fun showing(state: UnlockScreen, page: AppPage): Shown = when {
        page is AppPage.Add && canAdd(state) -> Shown.Page(page)
        state !is UnlockScreen.Unlocked -> Shown.Unlock(state)
        else -> Shown.Page(page)
    }
}
