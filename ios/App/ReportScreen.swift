import SharedTypes
import SwiftUI

/// The report form (a grid worker's report or a resident's request). Every
/// edit goes to the core at once, which keeps the draft through a crash.
struct ReportScreen: View {
    let v: ReportView
    let send: (Event) -> Void
    @State var description = ""
    @State var addingParty = false

    private func edit(_ e: DraftEdit) { send(.draft(edit: e)) }

    var body: some View {
        Form {
            Section {
                Picker("choose_category", selection: Binding(
                    get: { v.categories.first { $0.selected }?.code ?? "" },
                    set: { edit(.category(code: $0)) }
                )) {
                    if !v.categories.contains(where: \.selected) { Text("choose_category").tag("") }
                    ForEach(v.categories, id: \.code) { Text($0.label).tag($0.code) }
                }
                TextField("description", text: $description, axis: .vertical)
                    .lineLimit(3 ... 8)
                    .onChange(of: description) { edit(.description(text: $0)) }
            }
            Section {
                HStack {
                    Button(LocalizedStringKey(v.locating ? "locating" : "use_my_location")) { edit(.useMyLocation) }
                        .disabled(v.locating)
                    Spacer()
                    Text(v.location ?? NSLocalizedString("no_location", comment: "")).font(.footnote).foregroundColor(.secondary)
                }
                HStack {
                    let full = v.photos >= v.photoLimit
                    Button("take_photo") { edit(.takePhoto) }.disabled(full)
                    Button("pick_photo") { edit(.pickPhoto) }.disabled(full)
                    Spacer()
                    Text(verbatim: "\(v.photos)/\(v.photoLimit)")
                    if v.photos > 0 {
                        Button("remove_last", role: .destructive) { edit(.removePhoto(index: v.photos - 1)) }
                    }
                }
                .buttonStyle(.borderless)
            }
            if !v.isRequest {
                Section("parties") {
                    ForEach(Array(v.parties.enumerated()), id: \.offset) { i, p in
                        HStack {
                            Text(p)
                            Spacer()
                            Button("remove", role: .destructive) { edit(.removeParty(index: UInt32(i))) }.buttonStyle(.borderless)
                        }
                    }
                    Button("add_party") { addingParty = true }
                    NumberField(label: "people_affected", value: UInt64(v.peopleAffected)) {
                        edit(.peopleAffected(count: UInt32(clamping: $0)))
                    }
                    NumberField(label: "amount_yuan", value: v.amountYuan) { edit(.amountYuan(amount: $0)) }
                }
            }
            if let problem = v.problem {
                Text(problem).foregroundColor(.red)
            }
            Section {
                Button("submit") { send(.submitReport) }.buttonStyle(.borderedProminent)
                Button("discard", role: .destructive) { send(.discardDraft) }
            }
        }
        .onAppear { if description.isEmpty { description = v.description } }
        .sheet(isPresented: $addingParty) {
            PartySheet { name, side, phone, id in
                edit(.addParty(name: name, side: side, phone: phone, idNumber: id))
            }
        }
    }
}

/// A whole number typed in; an empty field is 0.
struct NumberField: View {
    let label: LocalizedStringKey
    let value: UInt64
    let changed: (UInt64) -> Void
    @State var text = ""

    var body: some View {
        TextField(label, text: $text)
            .keyboardType(.numberPad)
            .onAppear { text = value == 0 ? "" : String(value) }
            .onChange(of: text) { typed in
                let digits = String(typed.filter(\.isNumber).prefix(12))
                if digits != typed { text = digits }
                changed(UInt64(digits) ?? 0)
            }
    }
}

/// A party to a dispute: name, side, phone and ID number (the core checks them).
struct PartySheet: View {
    let add: (String, String, String, String) -> Void
    @Environment(\.dismiss) var dismiss
    @State var name = ""
    @State var side = "applicant"
    @State var phone = ""
    @State var id = ""

    var body: some View {
        NavigationStack {
            Form {
                TextField("party_name", text: $name)
                Picker("", selection: $side) {
                    Text("side_applicant").tag("applicant")
                    Text("side_respondent").tag("respondent")
                    Text("side_other").tag("other")
                }
                .pickerStyle(.segmented)
                TextField("party_phone", text: $phone).keyboardType(.phonePad)
                TextField("party_id", text: $id).textInputAutocapitalization(.characters)
            }
            .navigationTitle(Text("add_party"))
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("cancel") { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    Button("add") {
                        add(name, side, phone, id)
                        dismiss()
                    }
                }
            }
        }
    }
}
