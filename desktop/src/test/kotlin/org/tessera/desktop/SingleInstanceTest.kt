package org.tessera.desktop

import java.io.IOException
import java.net.StandardProtocolFamily
import java.net.UnixDomainSocketAddress
import java.nio.ByteBuffer
import java.nio.channels.ServerSocketChannel
import java.nio.channels.SocketChannel
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

/** Second launches hand their link to the first over its socket, as `tessera-desktop LINK` does. */
class SingleInstanceTest {
    @TempDir
    lateinit var temp: Path

    private val link = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"

    /** What the first instance's listener received; "" stands for a launch without a link. */
    private val received = LinkedBlockingQueue<String>()

    private fun first(folder: Path): SingleInstance {
        val claim = SingleInstance.claim(folder, null)
        assertTrue(claim is SingleInstance.Claim.First, "the first launch listens, got $claim")
        val instance = (claim as SingleInstance.Claim.First).instance
        instance.listen { received.add(it ?: "") }
        return instance
    }

    @Test
    fun aSecondLaunchHandsItsLinkToTheFirst() {
        val folder = temp.resolve("run")
        first(folder).use {
            assertEquals(SingleInstance.Claim.HandedOver, SingleInstance.claim(folder, link))
            assertEquals(link, received.poll(5, TimeUnit.SECONDS))
        }
    }

    @Test
    fun aSecondLaunchWithoutALinkAsksForTheWindow() {
        val folder = temp.resolve("run")
        first(folder).use {
            assertEquals(SingleInstance.Claim.HandedOver, SingleInstance.claim(folder, null))
            assertEquals("", received.poll(5, TimeUnit.SECONDS))
        }
    }

    @Test
    fun linksSentBeforeTheListenerStartsWaitInTheQueue() {
        val folder = temp.resolve("run")
        val claim = SingleInstance.claim(folder, null) as SingleInstance.Claim.First
        claim.instance.use { instance ->
            val second = Executors.newSingleThreadExecutor()
            val handed = second.submit(Callable { SingleInstance.claim(folder, link) })
            Thread.sleep(200)
            instance.listen { received.add(it ?: "") }
            assertEquals(SingleInstance.Claim.HandedOver, handed.get(5, TimeUnit.SECONDS))
            assertEquals(link, received.poll(5, TimeUnit.SECONDS))
            second.shutdown()
        }
    }

    @Test
    fun theFolderIsTheUsersAlone() {
        val folder = temp.resolve("run")
        first(folder).use {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
            assertTrue(Files.exists(it.socket))
        }
    }

    @Test
    fun aFolderOthersCanOpenIsRefused() {
        val folder = Files.createDirectory(temp.resolve("open"))
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"))
        val error = assertThrows<IOException> { SingleInstance.claim(folder, link) }
        assertTrue(error.message!!.contains("can be opened by other users"), error.message)
        assertTrue(error.message!!.contains("rwx------"), error.message)
        assertFalse(Files.exists(folder.resolve("instance.sock")))
    }

    @Test
    fun aFileInPlaceOfTheFolderIsRefused() {
        val notFolder = Files.writeString(temp.resolve("run"), "")
        val error = assertThrows<IOException> { SingleInstance.claim(notFolder, link) }
        assertEquals("$notFolder is not a folder, so Tessera Desktop cannot keep its socket there.", error.message)
    }

    @Test
    fun theSocketOfACrashedLaunchIsReplaced() {
        val folder = Files.createDirectory(temp.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
        val socket = folder.resolve("instance.sock")
        // Bound and closed without removing its file: what a killed launch leaves.
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).use { it.bind(UnixDomainSocketAddress.of(socket)) }
        assertTrue(Files.exists(socket))
        first(folder).use {
            assertEquals(SingleInstance.Claim.HandedOver, SingleInstance.claim(folder, link))
            assertEquals(link, received.poll(5, TimeUnit.SECONDS))
        }
    }

    @Test
    fun closingRemovesTheSocketSoTheNextLaunchIsFirst() {
        val folder = temp.resolve("run")
        val instance = first(folder)
        instance.close()
        assertFalse(Files.exists(instance.socket))
        first(folder).close()
    }

    @Test
    fun aLinkLongerThanAnyQrCodeIsNotSent() {
        val error = assertThrows<IllegalArgumentException> {
            SingleInstance.claim(temp.resolve("run"), "otpauth://" + "a".repeat(SingleInstance.MAX_MESSAGE))
        }
        assertEquals("The link is longer than 8192 bytes, so it is not a Tessera link.", error.message)
    }

    @Test
    fun anOverlongMessageIsDroppedUnanswered() {
        val folder = temp.resolve("run")
        first(folder).use { instance ->
            SocketChannel.open(UnixDomainSocketAddress.of(instance.socket)).use { channel ->
                val message = ByteBuffer.wrap(ByteArray(SingleInstance.MAX_MESSAGE + 1) { 'a'.code.toByte() })
                while (message.hasRemaining()) channel.write(message)
                channel.shutdownOutput()
                assertEquals(-1, channel.read(ByteBuffer.allocate(1)), "no answer, the connection closed")
            }
            assertNull(received.poll(300, TimeUnit.MILLISECONDS))
            // The listener still takes the next launch's link.
            assertEquals(SingleInstance.Claim.HandedOver, SingleInstance.claim(folder, link))
            assertEquals(link, received.poll(5, TimeUnit.SECONDS))
        }
    }

    @Test
    fun twoLaunchesAtOnceMakeOneFirstInstance() {
        val folder = temp.resolve("run")
        val pool = Executors.newFixedThreadPool(2)
        val launch = Callable {
            SingleInstance.claim(folder, link).also { claim ->
                if (claim is SingleInstance.Claim.First) claim.instance.listen { received.add(it ?: "") }
            }
        }
        val launches = List(2) { pool.submit(launch) }
        val claims = launches.map { it.get(10, TimeUnit.SECONDS) }
        pool.shutdown()
        val firsts = claims.filterIsInstance<SingleInstance.Claim.First>()
        assertEquals(1, firsts.size, "exactly one launch listens: $claims")
        assertEquals(1, claims.count { it == SingleInstance.Claim.HandedOver })
        assertEquals(link, received.poll(5, TimeUnit.SECONDS))
        firsts.forEach { it.instance.close() }
    }
}
