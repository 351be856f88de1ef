package cn.gridline.shell

/**
 * Where the Rust library comes from. On a phone it is packaged in the app
 * (`jniLibs`) and found by name; on a desktop JVM (the tests) the system
 * property `gridline.mobile.lib` names the built file.
 */
object Library {
    private const val OVERRIDE = "uniffi.component.gridline_mobile.libraryOverride"

    /** Points the bindings at the library named by `gridline.mobile.lib`, if set. */
    fun useBuilt() {
        val path = System.getProperty("gridline.mobile.lib").orEmpty()
        if (path.isNotEmpty() && System.getProperty(OVERRIDE) == null) {
            require(java.io.File(path).isFile) { "gridline.mobile.lib: no library at $path" }
            System.setProperty(OVERRIDE, path)
        }
    }
}
