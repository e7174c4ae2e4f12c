package org.tessera.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import org.tessera.ffi.IdentitySummary
import org.tessera.kit.AddIdentityViewModel
import org.tessera.kit.AppModel
import org.tessera.kit.AppPage
import org.tessera.kit.Shown
import org.tessera.kit.takesBack

/**
 * The whole app over one [AppModel]: the unlock pages until the token is open, then the list
 * and the pages it leads to. Everything remembered lives in the model, which outlives these
 * screens (the Android app keeps it in a ViewModel), so they can be drawn again at any time.
 * [scanner] is the platform's camera preview for a given Add Identity view model; [backHandler]
 * is the platform's system Back hook (Android: BackHandler), given whether the app takes Back on
 * the page shown and what to do then. [listHeader] goes above the identities (the desktop's
 * search field) and [listFilter] says which identities the list shows.
 */
@Composable
fun TesseraApp(
    model: AppModel,
    scanner: @Composable (AddIdentityViewModel) -> Unit = { ScannerPlaceholder() },
    backHandler: @Composable (enabled: Boolean, onBack: () -> Unit) -> Unit = { _, _ -> },
    listHeader: @Composable () -> Unit = {},
    listFilter: (IdentitySummary) -> Boolean = { true },
) {
    val shown by model.shown.collectAsState()
    val busy by model.unlock.busy.collectAsState()
    backHandler(shown.takesBack) { model.back() }

    when (val now = shown) {
        is Shown.Unlock -> UnlockPage(
            now.screen,
            busy,
            UnlockActions(
                submitPin = { model.unlock.submitPin(it) },
                submitUnlockCode = { code, pin -> model.unlock.submitUnlockCode(code, pin) },
                submitRecoveryKey = { key, pin -> model.unlock.submitRecoveryKey(key, pin) },
                addIdentity = { model.startAdd() },
            ),
        )
        is Shown.Page -> when (val page = now.page) {
            is AppPage.Add -> {
                val state by page.vm.state.collectAsState()
                AddIdentityPage(state, page.vm, model::backToList) { scanner(page.vm) }
            }
            is AppPage.Details -> {
                val state by page.vm.state.collectAsState()
                if (state.removed) LaunchedEffect(Unit) { model.backToList() }
                IdentityDetailsPage(
                    state,
                    IdentityDetailsActions(
                        rename = { page.vm.rename(it) },
                        requestRemove = page.vm::requestRemove,
                        confirmRemove = { page.vm.confirmRemove() },
                        cancelRemove = page.vm::cancelRemove,
                        switchPolicy = { page.vm.switchPolicyVariant() },
                        reactivate = { model.reactivate(page.vm) },
                        back = model::backToList,
                    ),
                )
            }
            is AppPage.Challenge -> {
                val state by page.vm.state.collectAsState()
                ChallengePage(state, { page.vm.answer(it) }, page.vm::clear, model::backToList)
            }
            is AppPage.Settings -> {
                val state by page.vm.state.collectAsState()
                SettingsPage(
                    state,
                    SettingsActions(
                        changePin = { old, new, again -> page.vm.changePin(old, new, again) },
                        setTimeOffset = { page.vm.setTimeOffset(it) },
                        setAutoLock = { page.vm.setAutoLock(it) },
                        setUnlockCodes = { pin, enabled -> page.vm.setUnlockCodes(pin, enabled) },
                        makeRecoveryKey = { pin -> page.vm.makeRecoveryKey(pin) },
                        dismissRecoveryKey = page.vm::dismissRecoveryKey,
                        back = model::backToList,
                    ),
                )
            }
            AppPage.List -> {
                val state by model.list.state.collectAsState()
                fun identity(id: String) = state.rows.first { it.identity.id == id }.identity
                IdentityListPage(
                    state.copy(rows = state.rows.filter { listFilter(it.identity) }),
                    IdentityListActions(
                        reveal = { model.list.reveal(it) },
                        hide = model.list::hide,
                        copy = { model.list.copy(it) },
                        details = { model.openDetails(identity(it)) },
                        challenge = { model.openChallenge(identity(it)) },
                        add = { model.startAdd() },
                        settings = model::openSettings,
                        lock = model::lock,
                    ),
                    header = listHeader,
                )
            }
        }
    }
}
