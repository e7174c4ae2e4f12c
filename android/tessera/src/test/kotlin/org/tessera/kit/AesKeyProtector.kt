package org.tessera.kit

import java.security.GeneralSecurityException
import java.security.SecureRandom
import java.util.concurrent.atomic.AtomicInteger
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.tessera.ffi.KeyProtector
import org.tessera.ffi.KeyProtectorException

/**
 * A test double of the platform keystore that really seals: AES-256-GCM under a random key
 * held in memory, the 12-byte nonce in front of the sealed bytes. Another instance has another
 * key, as another device would. Counts its calls so tests can see Rust calling it.
 */
class AesKeyProtector : KeyProtector {
    private val key: SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    private val random = SecureRandom()

    /** Calls of [wrap] so far. */
    val wraps = AtomicInteger()

    /** Calls of [unwrap] so far. */
    val unwraps = AtomicInteger()

    override fun wrap(plaintext: ByteArray): ByteArray {
        wraps.incrementAndGet()
        val nonce = ByteArray(NONCE_BYTES).also(random::nextBytes)
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(TAG_BITS, nonce))
        return nonce + cipher.doFinal(plaintext)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray {
        unwraps.incrementAndGet()
        if (wrapped.size < NONCE_BYTES) throw KeyProtectorException.Failed("sealed data too short")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES))
        try {
            return cipher.doFinal(wrapped, NONCE_BYTES, wrapped.size - NONCE_BYTES)
        } catch (e: GeneralSecurityException) {
            throw KeyProtectorException.Failed("the device key could not open the sealed data: ${e.javaClass.simpleName}")
        }
    }

    private companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val NONCE_BYTES = 12
        const val TAG_BITS = 128
    }
}

/** Seals like [inner] but refuses to open: the key was invalidated (new biometrics, say). */
class InvalidatedKeyProtector(private val inner: KeyProtector) : KeyProtector by inner {
    override fun unwrap(wrapped: ByteArray): ByteArray =
        throw KeyProtectorException.KeyInvalidated("key permanently invalidated (test)")
}

/** Seals like [inner] but throws an exception the trait does not declare when opening. */
class CrashingKeyProtector(private val inner: KeyProtector) : KeyProtector by inner {
    override fun unwrap(wrapped: ByteArray): ByteArray = throw IllegalStateException("keystore bug (test)")
}
