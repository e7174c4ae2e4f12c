package org.tessera.desktop

import org.freedesktop.dbus.DBusPath
import org.freedesktop.dbus.annotations.DBusInterfaceName
import org.freedesktop.dbus.annotations.DBusMemberName
import org.freedesktop.dbus.connections.impl.DBusConnection
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder
import org.freedesktop.dbus.interfaces.DBusInterface
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder
import org.freedesktop.dbus.messages.constants.MessageTypes
import org.freedesktop.dbus.types.UInt32
import java.util.logging.Level
import java.util.logging.Logger

/** Opens a connection to one message bus; throws when there is none. */
fun interface BusOpener {
    fun open(): DBusConnection
}

/** logind's manager: which session a process belongs to. */
@DBusInterfaceName("org.freedesktop.login1.Manager")
interface LoginManager : DBusInterface {
    @DBusMemberName("GetSessionByPID")
    fun sessionByPid(pid: UInt32): DBusPath
}

/**
 * Locks the token when the screen locks. Linux: the screen lockers' `ActiveChanged(true)` on
 * the session bus (`org.freedesktop.ScreenSaver`: KDE, Xfce, Cinnamon, MATE;
 * `org.gnome.ScreenSaver`: GNOME) and logind's `Lock` for this process's own session on the
 * system bus (`loginctl lock-session`, lockers that go through logind). Each bus is on its own:
 * one that is missing or fails is logged and the others still count; none stops the app.
 *
 * The signals are matched on interface, member and (logind) the session's path, not on the
 * sender: a signal from someone else can only lock the token, never open it. Windows and macOS
 * say nothing unasked, so there the screen's state is polled ([ScreenLockPoll]).
 */
class ScreenLockWatch private constructor(
    private val buses: List<DBusConnection>,
    private val poll: AutoCloseable? = null,
) : AutoCloseable {
    /** How many buses are watched (0 when none answered). */
    val watching: Int get() = buses.size

    override fun close() {
        poll?.close()
        for (bus in buses) {
            try {
                bus.close()
            } catch (e: Exception) {
                System.err.println("Tessera Desktop could not close its message bus connection: ${e.message}")
            }
        }
    }

    companion object {
        private val SCREEN_SAVERS = listOf("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver")
        private const val LOGIN_SERVICE = "org.freedesktop.login1"
        private const val LOGIN_PATH = "/org/freedesktop/login1"
        private const val LOGIN_SESSION = "org.freedesktop.login1.Session"

        // dbus-java says at INFO which transport every connection uses; only its warnings matter
        // here. Held so the logger and its level are not collected.
        private val dbusLog = Logger.getLogger("org.freedesktop.dbus").apply { level = Level.WARNING }

        /** The user's session bus and the system bus, as the environment names them. */
        val sessionBus = BusOpener { DBusConnectionBuilder.forSessionBus().withShared(false).build() }
        val systemBus = BusOpener { DBusConnectionBuilder.forSystemBus().withShared(false).build() }

        /**
         * Starts watching the way this system allows (docs/desktop.md): the buses on Linux, a
         * poll every 2 s on Windows and macOS ([ScreenLockPoll]), nothing elsewhere. [onLock]
         * runs on a bus or poll thread for every lock.
         */
        fun forThisSystem(onLock: () -> Unit): ScreenLockWatch {
            val os = System.getProperty("os.name")
            return when {
                os.startsWith("Linux") -> start(onLock)
                os.startsWith("Windows") -> ScreenLockWatch(emptyList(), ScreenLockPoll(WindowsInputDesktop, onLock).start())
                os.startsWith("Mac") -> ScreenLockWatch(emptyList(), ScreenLockPoll(MacSessionDictionary, onLock).start())
                else -> ScreenLockWatch(emptyList())
            }
        }

        /** Watches the screen lockers on [session] and logind on [system]. */
        fun start(onLock: () -> Unit, session: BusOpener = sessionBus, system: BusOpener = systemBus): ScreenLockWatch {
            val buses = listOfNotNull(
                watch("the session bus", session) { bus -> watchScreenSavers(bus, onLock) },
                watch("the system bus", system) { bus -> watchLogind(bus, onLock) },
            )
            return ScreenLockWatch(buses)
        }

        private fun watch(name: String, opener: BusOpener, subscribe: (DBusConnection) -> Unit): DBusConnection? {
            val bus = try {
                opener.open()
            } catch (e: Exception) {
                System.err.println("Tessera Desktop does not lock with the screen through $name: ${reason(e)}")
                return null
            }
            return try {
                subscribe(bus)
                bus
            } catch (e: Exception) {
                System.err.println("Tessera Desktop does not lock with the screen through $name: ${reason(e)}")
                bus.close()
                null
            }
        }

        private fun watchScreenSavers(bus: DBusConnection, onLock: () -> Unit) {
            for (name in SCREEN_SAVERS) {
                val rule = DBusMatchRuleBuilder.create()
                    .withType(MessageTypes.SIGNAL)
                    .withInterface(name)
                    .withMember("ActiveChanged")
                    .build()
                bus.addGenericSigHandler(rule) { signal ->
                    if (signal.parameters.firstOrNull() == true) onLock()
                }
            }
        }

        private fun watchLogind(bus: DBusConnection, onLock: () -> Unit) {
            val manager = bus.getRemoteObject(LOGIN_SERVICE, LOGIN_PATH, LoginManager::class.java)
            val session = manager.sessionByPid(UInt32(ProcessHandle.current().pid())).path
            val rule = DBusMatchRuleBuilder.create()
                .withType(MessageTypes.SIGNAL)
                .withInterface(LOGIN_SESSION)
                .withMember("Lock")
                .withPath(session)
                .build()
            bus.addGenericSigHandler(rule) { onLock() }
        }

        private fun reason(e: Exception): String = e.message ?: e.javaClass.simpleName
    }
}
