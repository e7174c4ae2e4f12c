package org.tessera.desktop

import java.io.IOException
import java.net.ConnectException
import java.net.StandardProtocolFamily
import java.net.UnixDomainSocketAddress
import java.nio.ByteBuffer
import java.nio.channels.ServerSocketChannel
import java.nio.channels.SocketChannel
import java.nio.charset.StandardCharsets
import java.nio.file.FileSystems
import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.attribute.PosixFilePermissions

/**
 * One Tessera Desktop per user: the first launch listens on a Unix domain socket in a folder only
 * its user can open; a later launch hands its link (or nothing, to bring the window forward) to
 * it and exits, so a link opened in a browser reaches the window that is already open rather than
 * a second window over the same token.
 *
 * The message is the link's UTF-8 bytes, at most [MAX_MESSAGE] of them, ended by the sender
 * closing its side; the listener answers one byte, [RECEIVED], once it has taken the link. The
 * folder's permissions (0700, checked when it exists) are what keeps other users out.
 */
class SingleInstance private constructor(
    private val server: ServerSocketChannel,
    /** The socket's path; removed by [close]. */
    val socket: Path,
) : AutoCloseable {
    @Volatile private var closed = false

    /**
     * Takes the links later launches hand over, on a thread of its own: [onLink] gets the link, or
     * null when a launch had none (show the window). Links that arrive before this is called wait
     * in the socket's queue.
     */
    fun listen(onLink: (String?) -> Unit) {
        val thread = Thread({
            while (!closed) {
                val client = try {
                    server.accept()
                } catch (e: IOException) {
                    if (!closed) System.err.println("Tessera Desktop stopped taking links from other launches: ${e.message}")
                    return@Thread
                }
                // A client of the same user that never finishes its message must not hold up the next.
                Thread({ receive(client, onLink) }, "tessera-link-handover").apply { isDaemon = true }.start()
            }
        }, "tessera-single-instance")
        thread.isDaemon = true
        thread.start()
    }

    override fun close() {
        closed = true
        server.close()
        Files.deleteIfExists(socket)
    }

    /** What [claim] found: this launch is the first, or its link went to the one running. */
    sealed interface Claim {
        /** This launch is the first: it keeps [instance] open while it runs. */
        data class First(val instance: SingleInstance) : Claim

        /** Another launch is running and has taken the link: this one exits. */
        data object HandedOver : Claim
    }

    companion object {
        /** The longest link a launch may hand over; a QR code holds at most 2953 bytes. */
        const val MAX_MESSAGE = 8192

        /** The listener's answer once it has the link. */
        const val RECEIVED: Byte = 1

        private const val SOCKET_NAME = "instance.sock"
        private const val ATTEMPTS = 3

        /**
         * Becomes the first instance by listening in [folder], or hands [link] to the instance
         * already listening there. A socket file that nobody listens on (a crashed launch's) is
         * replaced. Throws [IOException] with a plain reason when the folder is unsafe (another
         * owner, open to others) or the running instance did not take the link.
         */
        fun claim(folder: Path, link: String?): Claim {
            val bytes = (link ?: "").toByteArray(StandardCharsets.UTF_8)
            require(bytes.size <= MAX_MESSAGE) { "The link is longer than $MAX_MESSAGE bytes, so it is not a Tessera link." }
            prepareFolder(folder)
            val socket = folder.resolve(SOCKET_NAME)
            val address = UnixDomainSocketAddress.of(socket)
            repeat(ATTEMPTS) {
                if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        handOver(address, bytes)
                        return Claim.HandedOver
                    } catch (e: ConnectException) {
                        // Nobody listens: the socket of a launch that ended without removing it.
                        Files.deleteIfExists(socket)
                    }
                }
                val server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                try {
                    server.bind(address)
                    return Claim.First(SingleInstance(server, socket))
                } catch (e: IOException) {
                    // Another launch bound it first: hand the link to that one on the next round.
                    server.close()
                }
            }
            throw IOException("Tessera Desktop could not listen on $socket nor reach the instance that holds it.")
        }

        /**
         * [claim] in [defaultFolder] for a launch with [link]; null, after saying why on standard
         * error, when the folder cannot be used: that launch then runs on its own.
         */
        fun claimForLaunch(link: String?): Claim? = try {
            claim(defaultFolder(), link)
        } catch (e: IOException) {
            System.err.println("Tessera Desktop runs without passing links between launches: ${e.message}")
            null
        }

        /**
         * The per-user folder: `$XDG_RUNTIME_DIR/tessera-desktop` where the system gives one (Linux),
         * else a folder named for the user in the temporary folder (macOS, Windows).
         */
        fun defaultFolder(): Path {
            val runtime = System.getenv("XDG_RUNTIME_DIR")?.takeIf { it.isNotBlank() }
            return if (runtime != null) {
                Paths.get(runtime, "tessera-desktop")
            } else {
                Paths.get(System.getProperty("java.io.tmpdir"), "tessera-desktop-" + System.getProperty("user.name"))
            }
        }

        private fun prepareFolder(folder: Path) {
            val posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                if (posix) {
                    Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                } else {
                    Files.createDirectories(folder)
                }
            }
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                throw IOException("$folder is not a folder, so Tessera Desktop cannot keep its socket there.")
            }
            if (!posix) return
            val me = System.getProperty("user.name")
            val owner = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).name
            if (owner != me) {
                throw IOException("$folder belongs to $owner, not to $me, so Tessera Desktop does not use it.")
            }
            val permissions = Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS)
            if (permissions != PosixFilePermissions.fromString("rwx------")) {
                throw IOException(
                    "$folder can be opened by other users (${PosixFilePermissions.toString(permissions)}); " +
                        "Tessera Desktop needs it to be rwx------.",
                )
            }
        }

        private fun handOver(address: UnixDomainSocketAddress, bytes: ByteArray) {
            SocketChannel.open(address).use { channel ->
                val out = ByteBuffer.wrap(bytes)
                while (out.hasRemaining()) channel.write(out)
                channel.shutdownOutput()
                val answer = ByteBuffer.allocate(1)
                val read = channel.read(answer)
                if (read != 1 || answer.get(0) != RECEIVED) {
                    throw IOException("The Tessera Desktop already running did not take the link.")
                }
            }
        }

        private fun receive(client: SocketChannel, onLink: (String?) -> Unit) {
            val link = try {
                client.use { channel ->
                    val message = ByteBuffer.allocate(MAX_MESSAGE + 1)
                    while (message.hasRemaining() && channel.read(message) >= 0) {
                        // Reads until the sender closes its side or the message is too long.
                    }
                    // Longer than any link: not a launch of ours; dropped unanswered.
                    if (message.position() > MAX_MESSAGE) return
                    channel.write(ByteBuffer.wrap(byteArrayOf(RECEIVED)))
                    String(message.array(), 0, message.position(), StandardCharsets.UTF_8).trim()
                }
            } catch (e: IOException) {
                System.err.println("A link from another launch of Tessera Desktop was lost: ${e.message}")
                return
            }
            onLink(link.ifEmpty { null })
        }
    }
}
