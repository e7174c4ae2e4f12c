package org.tessera.ui

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.ColorScheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color

/**
 * Tessera's light scheme: every role set from the brand blue (none left at Material's purple
 * baseline), text roles at 4.5:1 or more against their backgrounds (ThemeTest). The window
 * background of the Android app (res/values/colors.xml) is [ColorScheme.background].
 */
val TesseraLight: ColorScheme = lightColorScheme(
    primary = Color(0xFF1F5F8B),
    onPrimary = Color(0xFFFFFFFF),
    primaryContainer = Color(0xFFD0E4F5),
    onPrimaryContainer = Color(0xFF0B2740),
    inversePrimary = Color(0xFF9CCBF0),
    secondary = Color(0xFF4E6072),
    onSecondary = Color(0xFFFFFFFF),
    secondaryContainer = Color(0xFFD1E4F6),
    onSecondaryContainer = Color(0xFF0A1D2D),
    tertiary = Color(0xFF4F5C7E),
    onTertiary = Color(0xFFFFFFFF),
    tertiaryContainer = Color(0xFFDAE2FF),
    onTertiaryContainer = Color(0xFF0A1836),
    background = Color(0xFFF8FAFC),
    onBackground = Color(0xFF191C1F),
    surface = Color(0xFFF8FAFC),
    onSurface = Color(0xFF191C1F),
    surfaceVariant = Color(0xFFDDE4EB),
    onSurfaceVariant = Color(0xFF41484F),
    surfaceTint = Color(0xFF1F5F8B),
    inverseSurface = Color(0xFF2E3134),
    inverseOnSurface = Color(0xFFEFF1F4),
    error = Color(0xFFB3261E),
    onError = Color(0xFFFFFFFF),
    errorContainer = Color(0xFFF9DEDC),
    onErrorContainer = Color(0xFF410E0B),
    outline = Color(0xFF71787F),
    outlineVariant = Color(0xFFC1C7CE),
    scrim = Color(0xFF000000),
    surfaceBright = Color(0xFFF8FAFC),
    surfaceDim = Color(0xFFD8DBDE),
    surfaceContainerLowest = Color(0xFFFFFFFF),
    surfaceContainerLow = Color(0xFFF2F4F7),
    surfaceContainer = Color(0xFFECEEF2),
    surfaceContainerHigh = Color(0xFFE6E9EC),
    surfaceContainerHighest = Color(0xFFE0E3E7),
)

/** The dark scheme, complete like [TesseraLight]; res/values-night/colors.xml holds its background. */
val TesseraDark: ColorScheme = darkColorScheme(
    primary = Color(0xFF9CCBF0),
    onPrimary = Color(0xFF0B2740),
    primaryContainer = Color(0xFF1F4A6B),
    onPrimaryContainer = Color(0xFFD0E4F5),
    inversePrimary = Color(0xFF1F5F8B),
    secondary = Color(0xFFB5C8DC),
    onSecondary = Color(0xFF203242),
    secondaryContainer = Color(0xFF374959),
    onSecondaryContainer = Color(0xFFD1E4F6),
    tertiary = Color(0xFFB9C6EA),
    onTertiary = Color(0xFF212F4D),
    tertiaryContainer = Color(0xFF384565),
    onTertiaryContainer = Color(0xFFDAE2FF),
    background = Color(0xFF101418),
    onBackground = Color(0xFFE0E3E7),
    surface = Color(0xFF101418),
    onSurface = Color(0xFFE0E3E7),
    surfaceVariant = Color(0xFF41484F),
    onSurfaceVariant = Color(0xFFC1C7CE),
    surfaceTint = Color(0xFF9CCBF0),
    inverseSurface = Color(0xFFE0E3E7),
    inverseOnSurface = Color(0xFF2E3134),
    error = Color(0xFFF2B8B5),
    onError = Color(0xFF601410),
    errorContainer = Color(0xFF8C1D18),
    onErrorContainer = Color(0xFFF9DEDC),
    outline = Color(0xFF8B9198),
    outlineVariant = Color(0xFF41484F),
    scrim = Color(0xFF000000),
    surfaceBright = Color(0xFF363A3E),
    surfaceDim = Color(0xFF101418),
    surfaceContainerLowest = Color(0xFF0B0F12),
    surfaceContainerLow = Color(0xFF181C20),
    surfaceContainer = Color(0xFF1C2024),
    surfaceContainerHigh = Color(0xFF272A2E),
    surfaceContainerHighest = Color(0xFF313539),
)

/** Tessera's Material 3 theme, light or dark as the system is set. */
@Composable
fun TesseraTheme(dark: Boolean = isSystemInDarkTheme(), content: @Composable () -> Unit) {
    MaterialTheme(colorScheme = if (dark) TesseraDark else TesseraLight, content = content)
}
