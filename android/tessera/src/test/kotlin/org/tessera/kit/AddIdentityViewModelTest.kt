package org.tessera.kit

import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.tessera.ffi.ActivationInput
import org.tessera.ffi.FlowStep
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenSession
import org.tessera.ffi.TokenStatus

/** The Add Identity screens' state over the real flow: steps, refusals beside their fields. */
class AddIdentityViewModelTest {
    @Test
    fun theSeedFlowWithItsRefusals() = runTest {
        TokenSession(tokenFolder().toString(), null).use { session ->
            val flow = session.addIdentity()
            val vm = AddIdentityViewModel(flow, this, StandardTestDispatcher(testScheduler))
            assertEquals(AddIdentityScreen(FlowStep.Start), vm.state.value)

            vm.enterActivation(ActivationInput("48244-13457", Seed.ACTIVATION, null, null, null, null)).join()
            assertEquals(FlowStep.Start, vm.state.value.step)
            assertEquals(InputField.SERIAL_NUMBER, vm.state.value.error?.field)
            vm.clearError()
            assertNull(vm.state.value.error)

            vm.enterActivation(seedActivation()).join()
            assertEquals(AddIdentityScreen(FlowStep.NeedsPin), vm.state.value)
            vm.setPin(Seed.PIN).join()
            assertEquals(FlowStep.ConfirmPin, vm.state.value.step)
            vm.confirmPin(Seed.NEW_PIN).join()
            // The core moved back to choosing the PIN; the screen follows it.
            assertEquals(FlowStep.NeedsPin, vm.state.value.step)
            assertEquals(
                FieldError(InputField.PIN, "the two PINs are not the same: choose a PIN and type it twice"),
                vm.state.value.error,
            )

            vm.setPin(Seed.PIN).join()
            vm.confirmPin(Seed.PIN).join()
            val shown = assertInstanceOf(FlowStep.ShowRegistrationCode::class.java, vm.state.value.step)
            assertEquals("myid.example.edu", shown.name)
            vm.finish().join()
            val done = assertInstanceOf(FlowStep.Done::class.java, vm.state.value.step)
            assertNotNull(done.recoveryKey)
            assertEquals(shown.registrationCode, done.identity.registrationCode)
            assertFalse(vm.state.value.busy)
            assertEquals(TokenStatus.Unlocked, session.status())
            flow.close()
        }
    }

    @Test
    fun theSuspendingCallsCreateTheTokenOffTheCallersThread() = runTest {
        TokenSession(tokenFolder().toString(), null).use { session ->
            session.addIdentity().use { flow ->
                flow.enterActivation(seedActivation())
                flow.setPin(Seed.PIN)
                assertInstanceOf(FlowStep.ShowRegistrationCode::class.java, flow.confirmPinSuspending(Seed.PIN))
                assertInstanceOf(FlowStep.Done::class.java, flow.finishSuspending())
            }
            session.lock()
            session.unlockSuspending(Seed.PIN)
            session.changePinSuspending(Seed.PIN, Seed.NEW_PIN)
            session.lock()
            session.unlockSuspending(Seed.NEW_PIN)
            assertEquals(TokenStatus.Unlocked, session.status())
        }
    }

    @Test
    fun theFormNameFollowsTheAddressUntilEdited() = runTest {
        TokenSession(tokenFolder().toString(), null).use { session ->
            session.addIdentity().use { flow ->
                val vm = AddIdentityViewModel(flow, this, StandardTestDispatcher(testScheduler))
                vm.choose(AddMethod.Type)
                assertEquals(AddMethod.Type, vm.state.value.method)
                vm.editSerial(Seed.SERIAL)
                vm.editActivation(Seed.ACTIVATION)
                vm.editAddress(Seed.ADDRESS)
                assertEquals("myid.example.edu", vm.state.value.form.name)
                vm.editAddress("https://vpn.acme.example/igst")
                assertEquals("vpn.acme.example", vm.state.value.form.name)
                vm.editName("Acme VPN")
                vm.editAddress(Seed.ADDRESS)
                assertEquals("Acme VPN", vm.state.value.form.name)

                vm.submitForm().join()
                assertEquals(FlowStep.NeedsPin, vm.state.value.step)
                vm.setPin(Seed.PIN).join()
                vm.confirmPin(Seed.PIN).join()
                val shown = assertInstanceOf(FlowStep.ShowRegistrationCode::class.java, vm.state.value.step)
                assertEquals("Acme VPN", shown.name)
            }
        }
    }

    @Test
    fun aBadAddressIsRefusedBesideTheAddress() = runTest {
        TokenSession(tokenFolder().toString(), null).use { session ->
            session.addIdentity().use { flow ->
                val vm = AddIdentityViewModel(flow, this, StandardTestDispatcher(testScheduler))
                vm.editSerial(Seed.SERIAL)
                vm.editActivation(Seed.ACTIVATION)
                vm.editAddress("not an address")
                assertEquals("", vm.state.value.form.name)
                vm.submitForm().join()
                assertEquals(FlowStep.Start, vm.state.value.step)
                assertEquals(InputField.ADDRESS, vm.state.value.error?.field)
            }
        }
    }

    @Test
    fun anOpenedLinkWaitsForConfirmation() = runTest {
        val token = newOtpauthToken()
        val session = token.session
        val link = "otpauth://totp/Acme%20VPN:alice@acme.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20VPN"

        val declined = AddIdentityViewModel(session.addIdentity(), this, StandardTestDispatcher(testScheduler))
        declined.openLink(link).join()
        val preview = requireNotNull(declined.state.value.confirmLink)
        assertEquals("Acme VPN", preview.issuer)
        assertEquals("alice@acme.example", preview.name)
        assertEquals(FlowStep.Start, declined.state.value.step)
        assertEquals(1, session.identities().size, "opening a link adds nothing by itself")
        declined.cancelLink()
        assertNull(declined.state.value.confirmLink)
        declined.confirmLinkToAdd().join()
        assertEquals(1, session.identities().size, "a declined link cannot be confirmed later")

        val accepted = AddIdentityViewModel(session.addIdentity(), this, StandardTestDispatcher(testScheduler))
        accepted.openLink(link).join()
        accepted.confirmLinkToAdd().join()
        val done = assertInstanceOf(FlowStep.Done::class.java, accepted.state.value.step)
        assertEquals("Acme VPN", done.identity.issuer)
        assertEquals(2, session.identities().size)

        val broken = AddIdentityViewModel(session.addIdentity(), this, StandardTestDispatcher(testScheduler))
        broken.openLink("https://example.com/").join()
        assertNull(broken.state.value.confirmLink)
        assertEquals(InputField.LINK, broken.state.value.error?.field)
        session.close()
    }

    @Test
    fun theRegistrationCodeIsCopiedForThirtySeconds() = runTest {
        TokenSession(tokenFolder().toString(), null).use { session ->
            session.addIdentity().use { flow ->
                val clipboard = MemoryClipboard()
                val vm = AddIdentityViewModel(flow, this, StandardTestDispatcher(testScheduler), clipboard)
                assertNull(vm.copyRegistrationCode(), "nothing to copy before the code is shown")
                vm.enterActivation(seedActivation()).join()
                vm.setPin(Seed.PIN).join()
                vm.confirmPin(Seed.PIN).join()
                val shown = assertInstanceOf(FlowStep.ShowRegistrationCode::class.java, vm.state.value.step)
                vm.copyRegistrationCode()
                assertEquals(shown.registrationCode, clipboard.current())
                testScheduler.advanceTimeBy(30_001)
                assertNull(clipboard.current())
            }
        }
    }
}
