import SharedTypes
import SwiftUI

/// The server's address (the county's, set once) and the user's account.
struct LoginScreen: View {
    let v: LoginView
    let send: (Event) -> Void
    @State var server = ""
    @State var username = ""
    @State var password = ""

    var body: some View {
        Form {
            if v.expired {
                Text("session_expired").foregroundColor(.red)
            }
            Section {
                TextField("server", text: $server, prompt: Text(verbatim: "https://gridline.example.gov.cn"))
                    .keyboardType(.URL)
                    .textContentType(.URL)
                    .textInputAutocapitalization(.never)
                    .autocorrectionDisabled()
                TextField("username", text: $username)
                    .textContentType(.username)
                    .textInputAutocapitalization(.never)
                    .autocorrectionDisabled()
                SecureField("password", text: $password)
                    .textContentType(.password)
            }
            if let error = v.error {
                Text(error).foregroundColor(.red)
            }
            Button {
                send(.login(server: server.trimmingCharacters(in: .whitespaces), username: username.trimmingCharacters(in: .whitespaces), password: password))
            } label: {
                Text(LocalizedStringKey(v.busy ? "logging_in" : "log_in")).frame(maxWidth: .infinity)
            }
            .disabled(v.busy)
        }
        .onAppear {
            if server.isEmpty { server = v.server }
            if username.isEmpty { username = v.username }
        }
    }
}
