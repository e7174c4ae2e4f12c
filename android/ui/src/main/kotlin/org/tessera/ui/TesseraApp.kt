package org.tessera.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.launch
import org.tessera.ffi.TokenSession
import org.tessera.kit.AddIdentityViewModel
import org.tessera.kit.ChallengeViewModel
import org.tessera.kit.Clipboard
import org.tessera.kit.IdentityDetailsViewModel
import org.tessera.kit.IdentityListViewModel
import org.tessera.kit.SettingsViewModel
import org.tessera.kit.UnlockScreen
import org.tessera.kit.UnlockViewModel

/** Which page is on top once the token is open. */
private sealed interface Route {
    data object List : Route
    class Add(val vm: AddIdentityViewModel) : Route
    class Details(val vm: IdentityDetailsViewModel) : Route
    class Challenge(val vm: ChallengeViewModel) : Route
    class Settings(val vm: SettingsViewModel) : Route
}

/**
 * The whole app over one session: the unlock pages until the token is open, then the list and
 * the pages it leads to. [unlock] belongs to the host (the activity refreshes it after an
 * auto-lock). [openedLink] is a link the system opened the app with: it goes to Add Identity,
 * which asks before adding. [scanner] is the platform's camera preview for a given Add
 * Identity view model.
 */
@Composable
fun TesseraApp(
    session: TokenSession,
    unlock: UnlockViewModel,
    clipboard: Clipboard,
    openedLink: String? = null,
    onLinkTaken: () -> Unit = {},
    scanner: @Composable (AddIdentityViewModel) -> Unit = { ScannerPlaceholder() },
) {
    val scope = rememberCoroutineScope()
    val list = remember(session) { IdentityListViewModel(session, scope, clipboard = clipboard) }
    var route by remember { mutableStateOf<Route>(Route.List) }
    val unlockState by unlock.state.collectAsState()
    val busy by unlock.busy.collectAsState()

    fun startAdd(): AddIdentityViewModel =
        AddIdentityViewModel(session.addIdentity(), scope, clipboard = clipboard).also { route = Route.Add(it) }

    fun backToList() {
        route = Route.List
        unlock.refresh()
        list.refresh()
    }

    LaunchedEffect(unlock) { unlock.refresh() }
    LaunchedEffect(openedLink, unlockState) {
        val canAdd = unlockState is UnlockScreen.Unlocked || unlockState is UnlockScreen.NoToken
        if (openedLink != null && canAdd) {
            startAdd().openLink(openedLink)
            onLinkTaken()
        }
    }
    LaunchedEffect(unlockState) {
        if (unlockState is UnlockScreen.Unlocked) {
            list.refresh()
            val ticking = list.startTicking()
            try {
                awaitCancellation()
            } finally {
                ticking.cancel()
            }
        }
    }

    val current = route
    val open = unlockState is UnlockScreen.Unlocked
    when {
        current is Route.Add && (open || unlockState is UnlockScreen.NoToken) -> {
            val state by current.vm.state.collectAsState()
            AddIdentityPage(state, current.vm, ::backToList) { scanner(current.vm) }
        }
        !open -> UnlockPage(
            unlockState,
            busy,
            UnlockActions(
                submitPin = { unlock.submitPin(it) },
                submitUnlockCode = { code, pin -> unlock.submitUnlockCode(code, pin) },
                submitRecoveryKey = { key, pin -> unlock.submitRecoveryKey(key, pin) },
                addIdentity = { startAdd() },
            ),
        )
        current is Route.Details -> {
            val state by current.vm.state.collectAsState()
            if (state.removed) LaunchedEffect(Unit) { backToList() }
            IdentityDetailsPage(
                state,
                IdentityDetailsActions(
                    rename = { current.vm.rename(it) },
                    requestRemove = current.vm::requestRemove,
                    confirmRemove = { current.vm.confirmRemove() },
                    cancelRemove = current.vm::cancelRemove,
                    switchPolicy = { current.vm.switchPolicyVariant() },
                    reactivate = { scope.launch { current.vm.reactivate(clipboard)?.let { route = Route.Add(it) } } },
                    back = ::backToList,
                ),
            )
        }
        current is Route.Challenge -> {
            val state by current.vm.state.collectAsState()
            ChallengePage(state, { current.vm.answer(it) }, current.vm::clear, ::backToList)
        }
        current is Route.Settings -> {
            val state by current.vm.state.collectAsState()
            SettingsPage(
                state,
                SettingsActions(
                    changePin = { old, new, again -> current.vm.changePin(old, new, again) },
                    setTimeOffset = { current.vm.setTimeOffset(it) },
                    setAutoLock = { current.vm.setAutoLock(it) },
                    setUnlockCodes = { pin, enabled -> current.vm.setUnlockCodes(pin, enabled) },
                    makeRecoveryKey = { pin -> current.vm.makeRecoveryKey(pin) },
                    dismissRecoveryKey = current.vm::dismissRecoveryKey,
                    back = ::backToList,
                ),
            )
        }
        else -> {
            val state by list.state.collectAsState()
            fun identity(id: String) = state.rows.first { it.identity.id == id }.identity
            IdentityListPage(
                state,
                IdentityListActions(
                    reveal = { list.reveal(it) },
                    hide = list::hide,
                    copy = { list.copy(it) },
                    details = { route = Route.Details(IdentityDetailsViewModel(session, identity(it), scope)) },
                    challenge = { route = Route.Challenge(ChallengeViewModel(session, identity(it), scope)) },
                    add = { startAdd() },
                    settings = { route = Route.Settings(SettingsViewModel(session, scope).also { it.refresh() }) },
                    lock = {
                        session.lock()
                        unlock.refresh()
                    },
                ),
            )
        }
    }
}
