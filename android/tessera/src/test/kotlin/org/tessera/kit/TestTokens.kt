package org.tessera.kit

import java.nio.file.Files
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.tessera.ffi.ActivationInput
import org.tessera.ffi.FlowStep
import org.tessera.ffi.IdentitySummary
import org.tessera.ffi.KeyProtector
import org.tessera.ffi.TokenSession

/** Inputs shared by the session tests (the same values as core/tests/common). */
object Seed {
    const val SERIAL = "48244-13456"
    const val ACTIVATION = "1745-7712-6942-8698"
    const val ADDRESS = "https://myid.example.edu/igst"
    const val PIN = "4739"
    const val NEW_PIN = "8264"
    const val WRONG_PIN = "0852"
    const val OTPAUTH = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example"

    /** Fixed times for code checks: never the wall clock. */
    const val T: ULong = 1_700_000_000uL
}

/** A new, empty token folder under the system temp folder. */
fun tokenFolder(): Path = Files.createTempDirectory("tessera-kotlin-test")

/** A new token: its session (unlocked), its one identity and its recovery key. */
data class NewToken(val session: TokenSession, val identity: IdentitySummary, val recoveryKey: String)

/** A token created in a new folder through the flow from an otpauth link; returns it unlocked. */
fun newOtpauthToken(
    folder: Path = tokenFolder(),
    protector: KeyProtector? = null,
    pin: String = Seed.PIN,
): NewToken {
    val session = TokenSession(folder.toString(), protector)
    session.addIdentity().use { flow ->
        assertEquals(FlowStep.NeedsPin, flow.enterLink(Seed.OTPAUTH))
        assertEquals(FlowStep.ConfirmPin, flow.setPin(pin))
        val done = assertInstanceOf(FlowStep.Done::class.java, flow.confirmPin(pin))
        return NewToken(session, done.identity, requireNotNull(done.recoveryKey))
    }
}

/** The seed's activation data, as typed. */
fun seedActivation(): ActivationInput =
    ActivationInput(Seed.SERIAL, Seed.ACTIVATION, Seed.ADDRESS, null, null, null)
