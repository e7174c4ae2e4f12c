package org.tessera.kit

import java.io.File
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test
import org.tessera.ffi.ExportFormat
import org.tessera.ffi.IdentityKindLabel
import org.tessera.ffi.ImportFormat
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession
import org.tessera.ffi.TokenStatus

/**
 * Import, export and backups through the suspending facade and the real library: the Aegis
 * samples of tests/interop (vectors and password from their EXPECTED.md), codes at a fixed time
 * against [independentTotp], errors as the FieldError a screen shows, and round trips into a
 * second token.
 */
class TransferTest {
    private fun sample(name: String): ByteArray = File(
        System.getProperty("tessera.interop.dir") ?: error("tessera.interop.dir is not set: run the tests through Maven"),
        "aegis/$name",
    ).readBytes()

    /** EXPECTED.md's TOTP vectors V1 to V3: issuer, name, base32 secret, JCA MAC, digits, period. */
    private data class Vector(val issuer: String, val name: String, val secret: String, val mac: String, val digits: Int, val period: Long)

    private val totpVectors = listOf(
        Vector("Deno", "Mason", "4SJHB4GSD43FZBAI7C2HLRJGPQ", "HmacSHA1", 6, 30),
        Vector("SPDX", "James", "5OM4WOOGPLQEF6UGN3CPEOOLWU", "HmacSHA256", 7, 20),
        Vector("Airbnb", "Elijah", "7ELGJSGXNCCTV3O6LKJWYFV2RA", "HmacSHA512", 8, 50),
    )

    /** V1 to V7 as the token names them (names are unique, so the second James and Mason get " (2)"). */
    private val allVectors = listOf(
        Triple("Deno", "Mason", IdentityKindLabel.TOTP),
        Triple("SPDX", "James", IdentityKindLabel.TOTP),
        Triple("Airbnb", "Elijah", IdentityKindLabel.TOTP),
        Triple("Issuu", "James (2)", IdentityKindLabel.HOTP),
        Triple("Air Canada", "Benjamin", IdentityKindLabel.HOTP),
        Triple("WWE", "Mason (2)", IdentityKindLabel.HOTP),
        Triple("Boeing", "Sophia", IdentityKindLabel.STEAM),
    )

    private fun TokenSession.idOf(issuer: String, name: String): String =
        identities().single { it.issuer == issuer && it.name == name }.id

    private fun assertVectorCodes(session: TokenSession) {
        for (v in totpVectors) {
            val expected = independentTotp(base32(v.secret), Seed.T.toLong(), v.digits, v.period, v.mac)
            assertEquals(expected, session.codeAt(session.idOf(v.issuer, v.name), Seed.T).code, "${v.issuer}: ${v.name}")
        }
    }

    @Test
    fun aPlainAegisExportImportsEveryVectorWithItsCodes() = runTest {
        newOtpauthToken().session.use { session ->
            val summary = session.importFileSuspending(sample("aegis_plain.json"))
            assertEquals(ImportFormat.AEGIS_PLAIN, summary.format)
            assertEquals(allVectors, summary.added.map { Triple(it.issuer, it.name, it.kind) })
            assertEquals(emptyList<Any>(), summary.skipped)
            assertVectorCodes(session)
        }
    }

    @Test
    fun anEncryptedAegisExportAsksForItsPasswordAndRefusesAWrongOne() = runTest {
        newOtpauthToken().session.use { session ->
            val file = sample("aegis_encrypted.json")
            val needed = assertThrowsSuspending<TokenException.PasswordNeeded> { session.importFileSuspending(file) }
            assertEquals("an encrypted Aegis export", needed.format)

            val wrong = assertThrowsSuspending<TokenException.InvalidInput> { session.importFileSuspending(file, password = "tset") }
            assertEquals(FieldError(InputField.PASSWORD, wrong.detail), wrong.toFieldError())
            assertTrue(wrong.detail.startsWith("the password is wrong"), wrong.detail)
            assertEquals(1, session.identities().size, "nothing was added")

            // EXPECTED.md: the password is "test".
            val summary = session.importFileSuspending(file, ImportFormat.AEGIS_ENCRYPTED, "test")
            assertEquals(7, summary.added.size)
            assertVectorCodes(session)
        }
    }

    @Test
    fun anOtpauthExportImportsBackIntoAnotherToken() = runTest {
        newOtpauthToken().session.use { session ->
            session.importFileSuspending(sample("aegis_plain.json"))
            val wrongPin = assertThrowsSuspending<TokenException.WrongPin> { session.exportSuspending(ExportFormat.OTPAUTH, Seed.WRONG_PIN) }
            assertEquals(FieldError(InputField.PIN, wrongPin.detail), wrongPin.toFieldError(InputField.PIN))

            val export = session.exportSuspending(ExportFormat.OTPAUTH, Seed.PIN)
            assertEquals(8, export.links.size)
            assertTrue(export.links.all { it.startsWith("otpauth://") })
            assertNull(export.backup)

            newOtpauthToken().session.use { other ->
                val summary = other.importFileSuspending(export.links.joinToString("\n").toByteArray())
                assertEquals(ImportFormat.OTPAUTH_LIST, summary.format)
                assertEquals(allVectors, summary.added.map { Triple(it.issuer, it.name, it.kind) })
                // The seed identity is on both tokens.
                assertEquals(listOf("\"Example: alice@example.com\""), summary.skipped.map { it.name })
                assertVectorCodes(other)
            }

            val google = session.exportSuspending(ExportFormat.GOOGLE, Seed.PIN)
            assertEquals(google.links.size, google.qrCodes.size)
            assertTrue(google.qrCodes.all { it.copyOfRange(0, 4).contentEquals(byteArrayOf(0x89.toByte(), 0x50, 0x4e, 0x47)) })
            assertEquals(
                listOf("SPDX: James", "Airbnb: Elijah", "Air Canada: Benjamin", "Boeing: Sophia"),
                google.skipped.map { it.name },
            )
        }
    }

    @Test
    fun aBackupVerifiesOnlyWithItsPasswordAndRestoresEveryIdentity() = runTest {
        val password = "correct horse battery staple"
        newOtpauthToken().session.use { session ->
            session.importFileSuspending(sample("aegis_plain.json"))
            val mismatch = assertThrowsSuspending<TokenException.InvalidInput> {
                session.exportSuspending(ExportFormat.TESSERA, Seed.PIN, password, "$password!")
            }
            assertEquals(InputField.BACKUP_PASSWORD_CONFIRMATION, mismatch.toFieldError().field)
            val short = assertThrowsSuspending<TokenException.InvalidInput> { session.exportSuspending(ExportFormat.TESSERA, Seed.PIN, "short", "short") }
            assertEquals(InputField.BACKUP_PASSWORD, short.toFieldError().field)

            val made = session.exportSuspending(ExportFormat.TESSERA, Seed.PIN, password, password)
            val file = requireNotNull(made.backup) { "a Tessera export carries the backup file" }
            assertEquals("TSRBACKP", String(file.copyOfRange(0, 8)))

            val wrong = assertThrowsSuspending<TokenException.InvalidInput> { verifyBackupSuspending(file, "correct horse battery stapler") }
            assertEquals(FieldError(InputField.PASSWORD, wrong.detail), wrong.toFieldError())

            val verified = verifyBackupSuspending(file, password)
            assertEquals(
                listOf(Triple("Example", "alice@example.com", IdentityKindLabel.TOTP)) + allVectors,
                verified.identities.map { Triple(it.issuer, it.name, it.kind) },
            )

            newOtpauthToken().session.use { other ->
                assertThrowsSuspending<TokenException.PasswordNeeded> { other.importFileSuspending(file) }
                val restored = other.importFileSuspending(file, password = password)
                assertEquals(ImportFormat.TESSERA_BACKUP, restored.format)
                assertEquals(7, restored.added.size)
                assertVectorCodes(other)
            }
        }
    }

    @Test
    fun anExportRestoredIntoAnEmptyFolderCreatesTheTokenWithARecoveryKey() = runTest {
        TokenSession(tokenFolder().toString(), null).use { empty ->
            val mismatch = assertThrowsSuspending<TokenException.InvalidInput> {
                empty.createFromImportSuspending(sample("aegis_plain.json"), pin = Seed.PIN, confirmation = Seed.NEW_PIN)
            }
            assertEquals(InputField.CONFIRM_PIN, mismatch.toFieldError().field)
            assertEquals(TokenStatus.NoToken, empty.status())

            val restored = empty.createFromImportSuspending(sample("aegis_plain.json"), pin = Seed.PIN, confirmation = Seed.PIN)
            assertEquals(allVectors, restored.import.added.map { Triple(it.issuer, it.name, it.kind) })
            assertVectorCodes(empty)

            empty.lock()
            empty.unlockWithRecoveryKey(restored.recoveryKey, Seed.NEW_PIN)
            assertVectorCodes(empty)
        }
    }
}

/** The [T] that [block] throws, or a failure when it returns. */
private suspend inline fun <reified T : Throwable> assertThrowsSuspending(block: () -> Unit): T {
    try {
        block()
    } catch (thrown: Throwable) {
        if (thrown is T) return thrown
        throw thrown
    }
    fail<Unit>("expected ${T::class.simpleName}")
    error("unreachable")
}

/** RFC 4648 base32 (upper case, no padding), to read EXPECTED.md's secrets. */
private fun base32(text: String): ByteArray {
    val alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    var buffer = 0
    var bits = 0
    val out = java.io.ByteArrayOutputStream()
    for (c in text) {
        buffer = (buffer shl 5) or alphabet.indexOf(c).also { require(it >= 0) { "not base32: $c" } }
        bits += 5
        if (bits >= 8) {
            bits -= 8
            out.write((buffer shr bits) and 0xff)
        }
    }
    return out.toByteArray()
}
