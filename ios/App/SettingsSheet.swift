import GridlineShell
import SwiftUI

/// The map's tile source: a style URL or a `{z}/{x}/{y}` template, and the
/// coordinate system its tiles are drawn in. The error says what is wrong.
struct SettingsSheet: View {
    @ObservedObject var settings: Settings
    @Environment(\.dismiss) var dismiss
    @State var url = ""
    @State var crs = "wgs84"
    @State var error: String?

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    TextField("tile_url", text: $url)
                        .keyboardType(.URL)
                        .textInputAutocapitalization(.never)
                        .autocorrectionDisabled()
                    Picker("coordinate_system", selection: $crs) {
                        ForEach(["wgs84", "gcj02", "cgcs2000"], id: \.self) { Text($0.uppercased()).tag($0) }
                    }
                    .pickerStyle(.segmented)
                } header: {
                    Text("map_tiles")
                } footer: {
                    Text("tile_hint")
                }
                if let error { Text(error).foregroundColor(.red) }
            }
            .navigationTitle(Text("settings"))
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("cancel") { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    Button("save") {
                        do {
                            settings.tiles = try TileSource.parse(url: url, crs: crs)
                            dismiss()
                        } catch {
                            self.error = "\(error)"
                        }
                    }
                }
            }
        }
        .onAppear {
            url = settings.tiles.url
            crs = settings.tiles.crs
        }
    }
}
