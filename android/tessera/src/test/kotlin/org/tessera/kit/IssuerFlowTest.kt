package org.tessera.kit

import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test
import org.tessera.ffi.FlowStep
import org.tessera.ffi.InputField
import org.tessera.ffi.Issuer
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession

/**
 * The organisation's side through the bindings: the issuer creates an identity and its
 * activation link, the token adds it (link, password, PIN, registration code), the issuer
 * completes the registration and accepts the token's code; after a lockout the issuer's unlock
 * code answers the token's reset code, through the unlock screen's state holder.
 */
class IssuerFlowTest {
    @Test
    fun activationLinkCodesAndUnlockCodeAgainstTheIssuer() = runTest {
        Issuer.open(tokenFolder().toString(), "issuer passphrase for tests").use { issuer ->
            val issued = issuer.create("Work", 6u, null, null, "https://myid.example.edu/igst")
            TokenSession(tokenFolder().toString(), null).use { session ->
                val registration = session.addIdentity().use { flow ->
                    assertEquals(FlowStep.NeedsPassword, flow.enterLink(issued.link))
                    assertEquals(FlowStep.NeedsPin, flow.enterPassword(issued.password))
                    flow.setPin(Seed.PIN)
                    val shown = assertInstanceOf(FlowStep.ShowRegistrationCode::class.java, flow.confirmPinSuspending(Seed.PIN))
                    assertInstanceOf(FlowStep.Done::class.java, flow.finishSuspending())
                    shown.registrationCode
                }
                issuer.complete(issued.serial, registration)
                val identity = session.identities().single()
                assertEquals(0L, issuer.verify(issued.serial, session.codeAt(identity.id, Seed.T).code, Seed.T))

                session.lock()
                val vm = UnlockViewModel(session, this, StandardTestDispatcher(testScheduler))
                repeat(5) { vm.submitPin(Seed.WRONG_PIN).join() }
                val locked = assertInstanceOf(UnlockScreen.LockedOut::class.java, vm.state.value)
                val resetCode = requireNotNull(locked.resetCode)

                vm.submitUnlockCode("123", Seed.NEW_PIN).join()
                assertEquals(InputField.UNLOCK_CODE, (vm.state.value as UnlockScreen.LockedOut).error?.field)

                vm.submitUnlockCode(issuer.unlockCode(issued.serial, resetCode), Seed.NEW_PIN).join()
                assertEquals(UnlockScreen.Unlocked(), vm.state.value)
                session.lock()
                assertThrows(TokenException.WrongPin::class.java) { session.unlock(Seed.PIN) }
                session.unlockSuspending(Seed.NEW_PIN)
                assertEquals(0L, issuer.verify(issued.serial, session.codeAt(identity.id, Seed.T + 60uL).code, Seed.T + 60uL))
            }
        }
    }
}
