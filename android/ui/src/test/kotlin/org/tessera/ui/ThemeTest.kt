package org.tessera.ui

import androidx.compose.material3.ColorScheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.luminance
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Both colour schemes are complete: no brand role is left at Material's baseline (its purple,
 * which would show wherever a component uses a role the app did not set), and every text role is
 * readable on the colour it is drawn on (WCAG AA, 4.5:1).
 */
class ThemeTest {
    private val schemes = listOf("light" to (TesseraLight to lightColorScheme()), "dark" to (TesseraDark to darkColorScheme()))

    private fun brandRoles(s: ColorScheme) = mapOf(
        "primary" to s.primary, "primaryContainer" to s.primaryContainer,
        "onPrimaryContainer" to s.onPrimaryContainer, "inversePrimary" to s.inversePrimary,
        "secondary" to s.secondary, "secondaryContainer" to s.secondaryContainer, "onSecondaryContainer" to s.onSecondaryContainer,
        "tertiary" to s.tertiary, "tertiaryContainer" to s.tertiaryContainer, "onTertiaryContainer" to s.onTertiaryContainer,
        "background" to s.background, "surface" to s.surface, "surfaceVariant" to s.surfaceVariant,
        "onSurfaceVariant" to s.onSurfaceVariant, "surfaceTint" to s.surfaceTint, "outline" to s.outline,
        "outlineVariant" to s.outlineVariant, "surfaceBright" to s.surfaceBright, "surfaceDim" to s.surfaceDim,
        "surfaceContainerLow" to s.surfaceContainerLow, "surfaceContainer" to s.surfaceContainer,
        "surfaceContainerHigh" to s.surfaceContainerHigh, "surfaceContainerHighest" to s.surfaceContainerHighest,
    )

    private fun textPairs(s: ColorScheme) = listOf(
        Triple("onPrimary on primary", s.onPrimary, s.primary),
        Triple("onPrimaryContainer on primaryContainer", s.onPrimaryContainer, s.primaryContainer),
        Triple("onSecondary on secondary", s.onSecondary, s.secondary),
        Triple("onSecondaryContainer on secondaryContainer", s.onSecondaryContainer, s.secondaryContainer),
        Triple("onTertiary on tertiary", s.onTertiary, s.tertiary),
        Triple("onTertiaryContainer on tertiaryContainer", s.onTertiaryContainer, s.tertiaryContainer),
        Triple("onBackground on background", s.onBackground, s.background),
        Triple("onSurface on surface", s.onSurface, s.surface),
        Triple("onSurfaceVariant on surfaceVariant", s.onSurfaceVariant, s.surfaceVariant),
        Triple("onSurface on surfaceContainerHighest", s.onSurface, s.surfaceContainerHighest),
        Triple("onSurfaceVariant on surface", s.onSurfaceVariant, s.surface),
        Triple("primary text on surface", s.primary, s.surface),
        Triple("error text on surface", s.error, s.surface),
        Triple("onError on error", s.onError, s.error),
        Triple("onErrorContainer on errorContainer", s.onErrorContainer, s.errorContainer),
        Triple("inverseOnSurface on inverseSurface", s.inverseOnSurface, s.inverseSurface),
    )

    @Test
    fun noBrandRoleIsLeftAtMaterialsBaseline() {
        for ((name, pair) in schemes) {
            val (ours, baseline) = pair
            val base = brandRoles(baseline)
            for ((role, colour) in brandRoles(ours)) assertNotEquals(base.getValue(role), colour, "$name $role")
        }
    }

    @Test
    fun everyTextRoleIsReadableOnItsBackground() {
        for ((name, pair) in schemes) {
            for ((what, text, back) in textPairs(pair.first)) {
                val ratio = contrast(text, back)
                assertTrue(ratio >= 4.5, "$name $what: ${"%.2f".format(ratio)}:1")
            }
        }
    }

    private fun contrast(a: Color, b: Color): Double {
        val (light, dark) = listOf(a.luminance(), b.luminance()).sortedDescending()
        return (light + 0.05) / (dark + 0.05)
    }
}
