import GridlineShell
import SharedTypes
import SwiftUI

/// The role's list (most pressing first), or the same cases on the map.
struct HomeScreen: View {
    let v: HomeView
    let send: (Event) -> Void
    @EnvironmentObject var model: AppModel
    @State var onMap = false

    var body: some View {
        VStack(spacing: 0) {
            HStack {
                Picker("", selection: $onMap) {
                    Text("list").tag(false)
                    Text("map").tag(true)
                }
                .pickerStyle(.segmented)
                .frame(maxWidth: 200)
                Spacer()
                if v.visitsDue > 0 {
                    Button(String(format: NSLocalizedString("visits_due", comment: ""), Int(v.visitsDue))) {
                        send(.open(route: .visits))
                    }
                    .buttonStyle(.bordered)
                }
            }
            .padding(.horizontal, 16)
            .padding(.vertical, 8)
            if onMap {
                CaseMapView(cases: v.cases, settings: model.settings) { send(.open(route: .case(id: $0))) }
            } else {
                List {
                    if v.cases.isEmpty { Text("nothing_here") }
                    ForEach(v.cases, id: \.id) { c in
                        Button { send(.open(route: .case(id: c.id))) } label: { CaseRow(c: c) }
                            .buttonStyle(.plain)
                    }
                    if v.more > 0 {
                        Text(String(format: NSLocalizedString("more", comment: ""), Int(v.more))).foregroundColor(.secondary)
                    }
                }
                .listStyle(.plain)
            }
        }
        .overlay(alignment: .bottomTrailing) {
            if let label = v.newLabel {
                Button(label) { send(.open(route: .newReport)) }
                    .buttonStyle(.borderedProminent)
                    .controlSize(.large)
                    .padding(16)
            }
        }
    }
}

struct CaseRow: View {
    let c: CaseItem

    var body: some View {
        HStack(alignment: .top, spacing: 12) {
            Circle().fill(c.urgency.colour).frame(width: 10, height: 10).padding(.top, 6)
            VStack(alignment: .leading, spacing: 2) {
                Text(verbatim: "\(c.category) · \(c.statusLabel)").font(.subheadline.weight(.semibold))
                Text(c.summary).lineLimit(2)
                let meta = [c.place.isEmpty ? nil : c.place, c.deadline].compactMap { $0 }.joined(separator: " · ")
                if !meta.isEmpty { Text(meta).font(.footnote).foregroundColor(.secondary) }
                if c.waiting { Text("waiting_to_send").font(.footnote) }
                if c.conflict { Text("refused").font(.footnote).foregroundColor(.red) }
            }
            Spacer(minLength: 0)
        }
        .contentShape(Rectangle())
        .padding(.vertical, 4)
    }
}
