package org.tessera.kit

import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** One session used from two threads at once: codes on one, renames on the other. */
class ConcurrencyTest {
    @Test
    fun codesWhileRenamingFromAnotherThread() {
        val token = newOtpauthToken()
        val id = token.identity.id
        val expected = token.session.codeAt(id, Seed.T)
        val pool = Executors.newFixedThreadPool(2)
        val start = CountDownLatch(1)
        try {
            val codes = pool.submit<Int> {
                start.await()
                repeat(300) {
                    assertEquals(expected, token.session.codeAt(id, Seed.T))
                    token.session.code(id)
                    token.session.identities()
                }
                300
            }
            val renames = pool.submit<Int> {
                start.await()
                repeat(40) { token.session.rename(id, "alice #$it") }
                40
            }
            start.countDown()
            // get() rethrows anything either thread threw.
            assertEquals(300, codes.get(60, TimeUnit.SECONDS))
            assertEquals(40, renames.get(60, TimeUnit.SECONDS))
            assertEquals("alice #39", token.session.identities().single().name)
        } finally {
            pool.shutdownNow()
            token.session.close()
        }
    }
}
