package org.tessera.desktop

import com.sun.jna.Library
import com.sun.jna.Native
import com.sun.jna.Pointer
import com.sun.jna.platform.mac.CoreFoundation
import com.sun.jna.win32.StdCallLibrary

/** The two calls of user32.dll that say whether this session's input desktop can be opened. */
internal interface InputDesktops : StdCallLibrary {
    fun OpenInputDesktop(flags: Int, inherit: Boolean, access: Int): Pointer?
    fun CloseDesktop(desktop: Pointer): Boolean
}

/**
 * Windows: while the workstation is locked the input desktop is Winlogon's secure desktop, which
 * this process cannot open, so `OpenInputDesktop` fails (Microsoft's CSDetectWindowsSessionState
 * sample; UAC's secure desktop fails it too, and locking then is harmless).
 */
object WindowsInputDesktop : LockProbe {
    private const val DESKTOP_SWITCHDESKTOP = 0x0100
    private val user32: InputDesktops by lazy { Native.load("user32", InputDesktops::class.java) }

    override fun locked(): Boolean {
        val desktop = user32.OpenInputDesktop(0, false, DESKTOP_SWITCHDESKTOP) ?: return true
        user32.CloseDesktop(desktop)
        return false
    }
}

/** CoreGraphics' description of this login session. */
internal interface SessionGraphics : Library {
    fun CGSessionCopyCurrentDictionary(): CoreFoundation.CFDictionaryRef?
}

/**
 * macOS: the window server's session dictionary has `CGSSessionScreenIsLocked` true while the
 * screen is locked and no such key otherwise. No dictionary means no window-server session,
 * which is said as a failure.
 */
object MacSessionDictionary : LockProbe {
    private val graphics: SessionGraphics by lazy { Native.load("CoreGraphics", SessionGraphics::class.java) }

    override fun locked(): Boolean {
        val session = graphics.CGSessionCopyCurrentDictionary()
            ?: throw IllegalStateException("this process has no window-server session")
        val key = CoreFoundation.CFStringRef.createCFString("CGSSessionScreenIsLocked")
        try {
            val value = session.getValue(key) ?: return false
            val ref = CoreFoundation.CFTypeRef(value)
            return when {
                ref.isTypeID(CoreFoundation.BOOLEAN_TYPE_ID) -> CoreFoundation.CFBooleanRef(value).booleanValue()
                ref.isTypeID(CoreFoundation.NUMBER_TYPE_ID) -> CoreFoundation.CFNumberRef(value).intValue() != 0
                else -> throw IllegalStateException("the session's CGSSessionScreenIsLocked is neither a boolean nor a number")
            }
        } finally {
            key.release()
            session.release()
        }
    }
}
