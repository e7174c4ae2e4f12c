package org.tessera.kit.android

import android.content.Intent

/** The link schemes the app is opened with (declared in the manifest's intent filter). */
private val LINK_SCHEMES = setOf("igmobileotp", "otpauth")

/**
 * The igmobileotp:// or otpauth:// link an intent opens the app with, or null. It only picks
 * the link out of the intent: reading it is the core's job, and Add Identity asks before adding.
 */
fun Intent.openedLink(): String? {
    if (action != Intent.ACTION_VIEW) return null
    val uri = data ?: return null
    return uri.toString().takeIf { uri.scheme?.lowercase() in LINK_SCHEMES }
}
