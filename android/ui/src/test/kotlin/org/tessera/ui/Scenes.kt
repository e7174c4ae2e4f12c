package org.tessera.ui

import androidx.compose.runtime.Composable
import java.nio.file.Files
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.test.TestDispatcher
import org.tessera.ffi.FlowStep
import org.tessera.ffi.Issuer
import org.tessera.ffi.TokenSession
import org.tessera.kit.AddIdentityViewModel
import org.tessera.kit.AddMethod
import org.tessera.kit.ChallengeViewModel
import org.tessera.kit.IdentityDetailsViewModel
import org.tessera.kit.IdentityListViewModel
import org.tessera.kit.MemoryClipboard
import org.tessera.kit.SettingsViewModel
import org.tessera.kit.UnlockViewModel

/**
 * Every page with realistic state: real view models over a real token in a temp folder (a
 * software device key), holding an IdentityGuard identity ("Acme VPN") and an OCRA identity
 * ("Acme Bank") from a real issuer, and a TOTP ("GitHub"). Codes are pinned to [TIME].
 * The token is left locked out at the end, for the locked page. Each page is handed to [render]
 * at once, while its view model holds the state it shows.
 */
class Scenes(
    private val scope: CoroutineScope,
    private val work: TestDispatcher,
    private val render: (name: String, content: @Composable () -> Unit) -> Unit,
) {
    private val clipboard = MemoryClipboard()

    suspend fun all() {
        val issuer = Issuer.open(Files.createTempDirectory("tessera-issuer").toString(), "screenshots issuer")
        val session = TokenSession(Files.createTempDirectory("tessera-token").toString(), SoftwareKeyProtector())
        val vpn = issuer.create("Acme VPN", 6u, null, null, "https://vpn.acme.example/igst")
        val bank = issuer.create("Acme Bank", 8u, null, "OCRA-1:HOTP-SHA256-8:C-QN08", null)

        // First identity: typed, which also sets the PIN.
        val first = add(session)
        shot("add-identity-scan") { AddPage(first) }
        first.choose(AddMethod.Type)
        first.editSerial(vpn.serial)
        first.editActivation(vpn.activationCode)
        first.editAddress("https://vpn.acme.example/igst")
        first.editName("Acme VPN")
        shot("add-identity-form") { AddPage(first) }
        first.submitForm().join()
        first.setPin(PIN).join()
        first.confirmPin("4793").join()
        shot("set-pin") { AddPage(first) }
        first.setPin(PIN).join()
        shot("confirm-pin") { AddPage(first) }
        first.confirmPin(PIN).join()
        shot("registration-code") { AddPage(first) }
        issuer.complete(vpn.serial, (first.state.value.step as FlowStep.ShowRegistrationCode).registrationCode)
        first.finish().join()
        shot("recovery-key") { AddPage(first) }

        // A link opened from outside the app.
        val opened = add(session)
        opened.openLink(GITHUB).join()
        shot("link-confirmation") { AddPage(opened) }
        opened.confirmLinkToAdd().join()

        // An activation link with its password (mistyped once).
        val linked = add(session)
        linked.enterLink(bank.link).join()
        linked.enterPassword("not the password").join()
        shot("link-password") { AddPage(linked) }
        linked.enterPassword(bank.password).join()
        issuer.complete(bank.serial, (linked.state.value.step as FlowStep.ShowRegistrationCode).registrationCode)
        linked.finish().join()
        session.rename((linked.state.value.step as FlowStep.Done).identity.id, "Acme Bank")

        val list = IdentityListViewModel(session, scope, work, clock = { TIME }, clipboard = clipboard)
        list.refresh().join()
        val rows = list.state.value.rows
        val vpnId = rows.first { it.identity.name == "Acme VPN" }.identity.id
        val githubId = rows.first { it.identity.issuer == "GitHub" }.identity.id
        val bankIdentity = rows.first { it.identity.answersChallenges }.identity
        list.reveal(vpnId).join()
        list.reveal(githubId).join()
        shot("identity-list") {
            IdentityListPage(list.state.value, IdentityListActions({}, {}, {}, {}, {}, {}, {}, {}))
        }

        val challenge = ChallengeViewModel(session, bankIdentity, scope, work)
        val question = issuer.issueChallenge(bank.serial, TIME.toULong())
        challenge.answer(question).join()
        shot("challenge") { ChallengePage(challenge.state.value, {}, {}, {}, initialQuestion = question) }

        val details = IdentityDetailsViewModel(session, rows.first { it.identity.id == vpnId }.identity, scope, work)
        val detailsActions = IdentityDetailsActions({}, {}, {}, {}, {}, {}, {})
        shot("identity-details") { IdentityDetailsPage(details.state.value, detailsActions) }
        details.requestRemove()
        val removing = details.state.value
        shot("identity-remove") { IdentityDetailsPage(removing, detailsActions) }
        details.cancelRemove()
        val reactivation = requireNotNull(details.reactivate(clipboard))
        reactivation.choose(AddMethod.Paste)
        shot("reactivate") { AddPage(reactivation) }

        val settings = SettingsViewModel(session, scope, work)
        settings.setAutoLock(300u).join()
        settings.changePin(PIN, "2580", "2508").join()
        shot("settings") { SettingsPage(settings.state.value, SettingsActions({ _, _, _ -> }, {}, {}, { _, _ -> }, { _ -> }, {}, {})) }

        session.lock()
        val unlock = UnlockViewModel(session, scope, work)
        unlock.submitPin("0000").join()
        val enterPin = unlock.state.value
        shot("unlock") { UnlockPage(enterPin, false, UnlockActions({}, { _, _ -> }, { _, _ -> }, {})) }
        repeat(4) { unlock.submitPin("0000").join() }
        val locked = unlock.state.value
        shot("locked") { UnlockPage(locked, false, UnlockActions({}, { _, _ -> }, { _, _ -> }, {})) }

        session.close()
        issuer.close()
    }

    private fun add(session: TokenSession) = AddIdentityViewModel(session.addIdentity(), scope, work, clipboard)

    private fun shot(name: String, content: @Composable () -> Unit) = render(name, content)

    @Composable
    private fun AddPage(vm: AddIdentityViewModel) {
        AddIdentityPage(vm.state.value, vm, onClose = {})
    }

    companion object {
        const val PIN = "4739"

        /** 26 s into a 30 s period: the list shows the next code too. */
        const val TIME = 1_764_331_226L
        const val GITHUB =
            "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub"
    }
}
