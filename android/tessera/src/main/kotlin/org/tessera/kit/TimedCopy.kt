package org.tessera.kit

import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch

/** How long a copied code stays on the clipboard. */
val CLIPBOARD_CLEAR_AFTER: Duration = 30.seconds

/**
 * Copies [text] to [clipboard] and, after [clearAfter] on [scope]'s clock (virtual time in
 * tests), empties the clipboard if it still holds that copy ([Clipboard.clearIfStillHolds]: by
 * the app's own record when the platform cannot read the clipboard back), so a code does not
 * linger there but something copied since is left alone where the platform can tell. Returns
 * the clearing job.
 */
fun copyForAWhile(
    clipboard: Clipboard,
    text: String,
    scope: CoroutineScope,
    clearAfter: Duration = CLIPBOARD_CLEAR_AFTER,
): Job {
    val copy = clipboard.copy(text)
    return scope.launch {
        delay(clearAfter)
        clipboard.clearIfStillHolds(copy)
    }
}
