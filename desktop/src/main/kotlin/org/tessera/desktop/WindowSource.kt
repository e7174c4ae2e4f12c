package org.tessera.desktop

import com.sun.jna.Native
import com.sun.jna.NativeLong
import com.sun.jna.Pointer
import com.sun.jna.platform.unix.X11
import com.sun.jna.ptr.IntByReference
import com.sun.jna.ptr.NativeLongByReference
import com.sun.jna.ptr.PointerByReference
import java.awt.GraphicsEnvironment
import java.awt.Rectangle
import java.awt.Robot
import java.awt.image.BufferedImage
import java.io.IOException

/** A window on the screen a person can choose to scan: its title and where it is, in screen pixels. */
data class ShownWindow(val title: String, val bounds: Rectangle)

/** Where "Scan a window" finds the windows to choose from, and captures the chosen one. */
interface WindowSource {
    /** The windows shown now, top-level only; throws [IOException] when they cannot be listed. */
    fun windows(): List<ShownWindow>

    /** The screen's pixels where [window] is (what covers it is captured too). */
    fun capture(window: ShownWindow): BufferedImage
}

/** The platform's windows: X11's on Linux; elsewhere none (whole-screen scanning only). */
fun platformWindows(): WindowSource? =
    if (System.getProperty("os.name").startsWith("Linux") && !System.getenv("DISPLAY").isNullOrBlank()) X11Windows else null

/**
 * The X server's top-level windows through JNA's Xlib mapping: the window manager's
 * `_NET_CLIENT_LIST` when one runs (its frames have no titles), else the root window's
 * children. Only mapped windows with a title are offered. Captures use java.awt.Robot over the
 * window's rectangle, so a window must be in view to be read.
 */
object X11Windows : WindowSource {
    private val x11 = X11.INSTANCE

    override fun windows(): List<ShownWindow> {
        val display = x11.XOpenDisplay(null) ?: throw IOException("the X display ${System.getenv("DISPLAY")} could not be opened")
        try {
            val root = x11.XDefaultRootWindow(display)
            val candidates = clientList(display, root) ?: children(display, root)
            return candidates.mapNotNull { describe(display, root, it) }
        } finally {
            x11.XCloseDisplay(display)
        }
    }

    override fun capture(window: ShownWindow): BufferedImage {
        val screens = GraphicsEnvironment.getLocalGraphicsEnvironment().screenDevices
            .map { it.defaultConfiguration.bounds }
            .reduce(Rectangle::union)
        val area = window.bounds.intersection(screens)
        if (area.isEmpty) throw IOException("the window \"${window.title}\" is off the screen")
        return Robot().createScreenCapture(area)
    }

    private fun clientList(display: X11.Display, root: X11.Window): List<X11.Window>? =
        property(display, root, "_NET_CLIENT_LIST", X11.XA_WINDOW)?.let { (data, count) ->
            try {
                (0 until count).map { X11.Window(readXid(data, it)) }
            } finally {
                x11.XFree(data)
            }
        }

    private fun children(display: X11.Display, root: X11.Window): List<X11.Window> {
        val rootReturn = X11.WindowByReference()
        val parentReturn = X11.WindowByReference()
        val children = PointerByReference()
        val count = IntByReference()
        if (x11.XQueryTree(display, root, rootReturn, parentReturn, children, count) == 0) {
            throw IOException("the X server did not list its windows")
        }
        val array = children.value ?: return emptyList()
        try {
            return (0 until count.value).map { X11.Window(readXid(array, it)) }
        } finally {
            x11.XFree(array)
        }
    }

    private fun describe(display: X11.Display, root: X11.Window, window: X11.Window): ShownWindow? {
        val attributes = X11.XWindowAttributes()
        if (x11.XGetWindowAttributes(display, window, attributes) == 0) return null
        if (attributes.map_state != X11.IsViewable || attributes.width <= 1 || attributes.height <= 1) return null
        val title = title(display, window)?.takeIf { it.isNotBlank() } ?: return null
        val x = IntByReference()
        val y = IntByReference()
        if (!x11.XTranslateCoordinates(display, window, root, 0, 0, x, y, X11.WindowByReference())) return null
        return ShownWindow(title, Rectangle(x.value, y.value, attributes.width, attributes.height))
    }

    /** `_NET_WM_NAME` (UTF-8), else the older `WM_NAME`. */
    private fun title(display: X11.Display, window: X11.Window): String? {
        val utf8 = x11.XInternAtom(display, "UTF8_STRING", false)
        property(display, window, "_NET_WM_NAME", utf8)?.let { (data, count) ->
            try {
                return String(data.getByteArray(0, count), Charsets.UTF_8)
            } finally {
                x11.XFree(data)
            }
        }
        val name = PointerByReference()
        if (x11.XFetchName(display, window, name) == 0 || name.value == null) return null
        try {
            return name.value.getString(0, "ISO-8859-1")
        } finally {
            x11.XFree(name.value)
        }
    }

    /** A property's data and item count; null when the window does not have it (free the data with XFree). */
    private fun property(display: X11.Display, window: X11.Window, name: String, type: X11.Atom): Pair<Pointer, Int>? {
        val atom = x11.XInternAtom(display, name, false)
        val actualType = X11.AtomByReference()
        val format = IntByReference()
        val items = NativeLongByReference()
        val after = NativeLongByReference()
        val data = PointerByReference()
        val status = x11.XGetWindowProperty(
            display, window, atom, NativeLong(0), NativeLong(MAX_PROPERTY_LONGS), false, type,
            actualType, format, items, after, data,
        )
        val pointer = data.value
        if (status != X11.Success || pointer == null) return null
        if (actualType.value == null || actualType.value.toLong() != type.toLong()) {
            x11.XFree(pointer)
            return null
        }
        return pointer to items.value.toInt()
    }

    /** Xlib hands 32-bit items (window ids) as C longs: 8 bytes each on 64-bit systems. */
    private fun readXid(array: Pointer, index: Int): Long =
        if (Native.LONG_SIZE == 8) array.getLong(index * 8L) else array.getInt(index * 4L).toLong() and 0xFFFF_FFFFL

    /** How much of a property is read, in 32-bit units: far more windows or title than exist. */
    private const val MAX_PROPERTY_LONGS = 65_536L
}
