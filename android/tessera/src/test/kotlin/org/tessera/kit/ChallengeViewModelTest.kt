package org.tessera.kit

import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.FlowStep
import org.tessera.ffi.InputField
import org.tessera.ffi.Issuer
import org.tessera.ffi.TokenSession

/**
 * The challenge screen over a real token holding an OCRA identity from the issuer; the issuer
 * (the organisation's side) accepts the response the screen shows.
 */
class ChallengeViewModelTest {
    @Test
    fun theIssuerAcceptsTheShownResponseAndABadQuestionIsRefusedBesideItsField() = runTest {
        Issuer.open(tokenFolder().toString(), "issuer passphrase for tests").use { issuer ->
            val issued = issuer.create("Acme Bank", 8u, null, "OCRA-1:HOTP-SHA256-8:C-QN08", null)
            TokenSession(tokenFolder().toString(), null).use { session ->
                val identity = session.addIdentity().use { flow ->
                    flow.enterLink(issued.link)
                    flow.enterPassword(issued.password)
                    flow.setPin(Seed.PIN)
                    val shown = flow.confirmPin(Seed.PIN) as FlowStep.ShowRegistrationCode
                    issuer.complete(issued.serial, shown.registrationCode)
                    (flow.finish() as FlowStep.Done).identity
                }
                assertTrue(identity.answersChallenges)
                val vm = ChallengeViewModel(session, identity, this, StandardTestDispatcher(testScheduler))

                val challenge = issuer.issueChallenge(issued.serial, Seed.T)
                vm.answer(challenge).join()
                val response = requireNotNull(vm.state.value.response)
                assertNull(vm.state.value.error)
                // Shown grouped for reading; the issuer takes the digits.
                assertEquals(8, response.count(Char::isDigit))
                issuer.verifyResponse(issued.serial, challenge, response.filter(Char::isDigit), Seed.T)

                vm.answer("not a number").join()
                assertEquals(InputField.CHALLENGE, vm.state.value.error?.field)
                assertNull(vm.state.value.response)
                vm.clear()
                assertEquals(ChallengeScreen(identity), vm.state.value)
            }
        }
    }

    @Test
    fun anIdentityWithoutASuiteSaysSoBesideTheChallenge() = runTest {
        val token = newOtpauthToken()
        val vm = ChallengeViewModel(token.session, token.identity, this, StandardTestDispatcher(testScheduler))
        vm.answer("12345678").join()
        assertEquals(
            FieldError(InputField.CHALLENGE, "this identity does not answer challenges; type its current security code instead"),
            vm.state.value.error,
        )
        token.session.close()
    }
}
