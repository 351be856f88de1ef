import SharedTypes
import SwiftUI

/// One case: what it is, where, who has it, its history and photos, and the
/// buttons the core offers this user now. A button that needs words or a
/// choice opens its form; the core checks what is entered.
struct CaseScreen: View {
    let d: CaseDetail
    let send: (Event) -> Void
    @EnvironmentObject var model: AppModel
    @State var form: ActionButton?

    private func act(_ input: ActionInput) { send(.act(caseId: d.item.id, input: input)) }

    var body: some View {
        List {
            Section {
                Text(d.item.statusLabel).font(.headline).foregroundColor(d.item.urgency.colour)
                if let deadline = d.item.deadline { Text(deadline) }
                Text(d.description)
                Text([d.item.place.isEmpty ? nil : d.item.place, d.tier, d.assignee].compactMap { $0 }.joined(separator: " · "))
                    .font(.footnote).foregroundColor(.secondary)
                if let outcome = d.outcome { Text(outcome) }
                if let rating = d.rating { Text(String(repeating: "★", count: Int(rating))) }
                ForEach(d.waiting, id: \.self) { Text($0).font(.footnote) }
                ForEach(d.conflicts, id: \.self) { Text($0).foregroundColor(.red) }
            }
            if !d.actions.isEmpty {
                Section {
                    ForEach(d.actions, id: \.action) { a in
                        Button(a.label) {
                            switch a.action {
                            case "sign_for": act(.signFor)
                            case "start": act(.start)
                            default: form = a
                            }
                        }
                    }
                }
            }
            if d.item.point != nil {
                CaseMapView(cases: [d.item], settings: model.settings) { _ in }
                    .frame(height: 200)
                    .listRowInsets(EdgeInsets())
            }
            if !d.parties.isEmpty {
                Section("parties") { ForEach(d.parties, id: \.self) { Text($0) } }
            }
            if !d.photos.isEmpty {
                Section("photos") {
                    ForEach(d.photos, id: \.id) { p in
                        let state: LocalizedStringKey = p.uploading ? "photo_uploading" : p.available ? "photo_on_server" : "photo_missing"
                        HStack {
                            Text(verbatim: String(p.sha256.prefix(12))).font(.footnote.monospaced())
                            Text(state).font(.footnote)
                        }
                    }
                }
            }
            Section("history") {
                ForEach(Array(d.history.enumerated()), id: \.offset) { _, h in
                    Text(verbatim: "\(h.at) \(h.who): \(h.what)").font(.footnote)
                }
            }
        }
        .sheet(item: $form) { a in ActionForm(a: a, d: d) { act($0) } }
    }
}

extension ActionButton: Identifiable {
    public var id: String { action }
}

/// The form behind a button that needs more than a tap.
struct ActionForm: View {
    let a: ActionButton
    let d: CaseDetail
    let done: (ActionInput) -> Void
    @Environment(\.dismiss) var dismiss
    @State var text = ""
    @State var outcome = ""
    @State var stars = 5
    @State var units: Set<String> = []
    @State var days: UInt64 = 5

    /// Calling in departments: their names, days, and the task for them.
    private var callsIn: Bool { a.action == "request_co_handling" }

    private var input: ActionInput? {
        switch a.action {
        case "note": return .note(text: text)
        case "resolve": return .resolve(outcome: outcome, summary: text)
        case "escalate": return .escalate(reason: text)
        case "return": return .return(reason: text)
        case "rate": return .rate(stars: UInt8(stars), comment: text)
        case "request_co_handling": return .requestCoHandling(units: units.sorted(), task: text, days: UInt32(clamping: days))
        default: return nil
        }
    }

    var body: some View {
        NavigationStack {
            Form {
                if a.action == "resolve" {
                    Picker("outcome", selection: $outcome) {
                        ForEach(d.outcomes, id: \.code) { Text($0.label).tag($0.code) }
                    }
                    .pickerStyle(.inline)
                }
                if a.action == "rate" {
                    HStack {
                        ForEach(1 ... 5, id: \.self) { n in
                            Button(n <= stars ? "★" : "☆") { stars = n }.buttonStyle(.borderless).font(.title2)
                        }
                    }
                }
                if callsIn {
                    ForEach(d.departments, id: \.code) { c in
                        Toggle(c.label, isOn: Binding(
                            get: { units.contains(c.code) },
                            set: { on in if on { units.insert(c.code) } else { units.remove(c.code) } }
                        ))
                    }
                    NumberField(label: "days", value: days) { days = $0 }
                }
                TextField(LocalizedStringKey(callsIn ? "task" : "words"), text: $text, axis: .vertical)
                    .lineLimit(2 ... 6)
            }
            .navigationTitle(a.label)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("cancel") { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    Button(a.label) {
                        if let input { done(input) }
                        dismiss()
                    }
                }
            }
        }
        .onAppear {
            outcome = d.outcomes.first { $0.selected }?.code ?? d.outcomes.first?.code ?? ""
        }
    }
}
