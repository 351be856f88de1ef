import GridlineShell
import SharedTypes
import SwiftUI

/// Draws whatever the core's view model says, and turns taps into events.
/// No decisions are made here: what is shown, in which language, and what
/// a tap does are the core's. Navigation too: the core's screen is the
/// one on show, and Back is an event.
struct RootView: View {
    @EnvironmentObject var model: AppModel
    @EnvironmentObject var camera: PhoneCamera
    @State var showSettings = false

    var body: some View {
        let v = model.view
        NavigationStack {
            VStack(spacing: 0) {
                screen(v)
                    .frame(maxWidth: .infinity, maxHeight: .infinity)
                if v.user != nil { SyncBar(sync: v.sync, send: model.send) }
            }
            .navigationTitle(title(v))
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .navigationBarLeading) {
                    if v.canGoBack {
                        Button { model.send(.back) } label: { Label("back", systemImage: "chevron.backward") }
                    }
                }
                ToolbarItemGroup(placement: .navigationBarTrailing) {
                    Button("settings") { showSettings = true }
                    if v.user != nil { Button("log_out") { model.send(.logout) } }
                }
            }
        }
        .overlay(alignment: .top) { Toast(text: v.toast) }
        .sheet(isPresented: $showSettings) { SettingsSheet(settings: model.settings) }
        .sheet(isPresented: asking(.take), onDismiss: { camera.deliver(nil) }) {
            CameraSheet { camera.deliver($0) }.ignoresSafeArea()
        }
        .sheet(isPresented: asking(.pick), onDismiss: { camera.deliver(nil) }) {
            LibrarySheet { camera.deliver($0) }
        }
    }

    @ViewBuilder
    private func screen(_ v: ViewModel) -> some View {
        switch v.screen {
        case .loading: ProgressView()
        case let .login(l): LoginScreen(v: l, send: model.send)
        case let .home(h): HomeScreen(v: h, send: model.send)
        case let .newReport(r): ReportScreen(v: r, send: model.send)
        case let .case(d): CaseScreen(d: d, send: model.send)
        case let .visits(w): VisitsScreen(v: w, send: model.send)
        case let .visit(w): VisitScreen(v: w, send: model.send)
        case let .gone(message): Text(message).padding(24)
        }
    }

    private func title(_ v: ViewModel) -> String {
        switch v.screen {
        case let .home(h): return h.title
        case let .case(d): return d.item.category
        default: return v.user ?? "Gridline"
        }
    }

    /// Shown while the core's photo request of kind `op` is open.
    private func asking(_ op: PhotoOperation) -> Binding<Bool> {
        Binding(get: { camera.asking == op }, set: { if !$0 && camera.asking == op { camera.deliver(nil) } })
    }
}

/// What waits to be sent and what went wrong, always in sight.
struct SyncBar: View {
    let sync: SyncView
    let send: (Event) -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(sync.line).font(.footnote)
            ForEach([sync.problem, sync.storage].compactMap { $0 } + sync.notices, id: \.self) {
                Text($0).font(.footnote).foregroundColor(.red)
            }
            HStack {
                if !sync.notices.isEmpty || sync.storage != nil {
                    Button("dismiss") { send(.dismissNotices) }
                }
                Spacer()
                if sync.busy { ProgressView() } else { Button("sync_now") { send(.syncNow) }.buttonStyle(.borderedProminent) }
            }
        }
        .padding(.horizontal, 16)
        .padding(.vertical, 8)
        .background(.bar)
    }
}

/// The core's passing message, at the top for a moment.
struct Toast: View {
    let text: String?

    var body: some View {
        if let text {
            Text(text)
                .padding(12)
                .background(.regularMaterial, in: RoundedRectangle(cornerRadius: 10))
                .padding(.top, 8)
                .transition(.opacity)
        }
    }
}

extension Urgency {
    /// The colour of a row's deadline.
    var colour: Color {
        switch self {
        case .overdue: return Color(red: 0.78, green: 0.16, blue: 0.16)
        case .dueToday: return Color(red: 0.94, green: 0.42, blue: 0.0)
        case .warning: return Color(red: 0.98, green: 0.66, blue: 0.15)
        case .normal: return Color(red: 0.18, green: 0.49, blue: 0.2)
        case .none: return .gray
        }
    }
}

/// A watched household's risk colour (`blue`…`red`, empty when safe).
func riskColour(_ code: String) -> Color {
    switch code {
    case "red": return Color(red: 0.78, green: 0.16, blue: 0.16)
    case "orange": return Color(red: 0.94, green: 0.42, blue: 0.0)
    case "yellow": return Color(red: 0.98, green: 0.66, blue: 0.15)
    case "blue": return Color(red: 0.08, green: 0.4, blue: 0.75)
    default: return .gray
    }
}
