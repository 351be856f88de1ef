package cn.gridline.app.ui

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color
import cn.gridline.shared.Urgency

private val Blue = Color(0xFF1F5FA8)

@Composable
fun GridlineTheme(content: @Composable () -> Unit) {
    val colors = if (isSystemInDarkTheme()) darkColorScheme(primary = Color(0xFF9CC2F0)) else lightColorScheme(primary = Blue)
    MaterialTheme(colorScheme = colors, content = content)
}

/** The colour of a row's deadline. */
fun Urgency.colour(): Color =
    when (this) {
        Urgency.OVERDUE -> Color(0xFFC62828)
        Urgency.DUETODAY -> Color(0xFFEF6C00)
        Urgency.WARNING -> Color(0xFFF9A825)
        Urgency.NORMAL -> Color(0xFF2E7D32)
        Urgency.NONE -> Color.Gray
    }

/** A watched household's risk colour (`blue`…`red`, empty when safe). */
fun riskColour(code: String): Color =
    when (code) {
        "red" -> Color(0xFFC62828)
        "orange" -> Color(0xFFEF6C00)
        "yellow" -> Color(0xFFF9A825)
        "blue" -> Color(0xFF1565C0)
        else -> Color.Gray
    }
