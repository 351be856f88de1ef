import SharedTypes
import SwiftUI

/// The grid worker's watched households, the most overdue visit first.
struct VisitsScreen: View {
    let v: VisitsView
    let send: (Event) -> Void

    var body: some View {
        List {
            if v.items.isEmpty { Text("nothing_here") }
            ForEach(v.items, id: \.watchId) { w in
                Button { send(.open(route: .visit(watchId: w.watchId))) } label: {
                    HStack(alignment: .top, spacing: 12) {
                        Circle().fill(riskColour(w.colour)).frame(width: 10, height: 10).padding(.top, 6)
                        VStack(alignment: .leading, spacing: 2) {
                            Text(w.label).font(.subheadline.weight(.semibold))
                            if let due = w.due { Text(due).font(.footnote).foregroundColor(w.urgency.colour) }
                            if w.waiting { Text("waiting_to_send").font(.footnote) }
                        }
                    }
                }
                .buttonStyle(.plain)
            }
        }
        .listStyle(.plain)
    }
}

/// One household: why it is watched, the last visit, and a note for this one.
struct VisitScreen: View {
    let v: VisitView
    let send: (Event) -> Void
    @State var note = ""

    var body: some View {
        Form {
            Section {
                Text(v.item.label).font(.headline).foregroundColor(riskColour(v.item.colour))
                if let address = v.address { Text(address) }
                Text(v.reason)
                if let last = v.lastVisit { Text(last).font(.footnote) }
                if let due = v.item.due { Text(due).foregroundColor(v.item.urgency.colour) }
            }
            Section {
                TextField("visit_note", text: $note, axis: .vertical).lineLimit(3 ... 8)
                Button("record_visit") { send(.recordVisit(watchId: v.item.watchId, note: note)) }
                    .disabled(note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            }
        }
        .id(v.item.watchId)
    }
}
