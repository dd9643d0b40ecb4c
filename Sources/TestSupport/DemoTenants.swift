/// The two tenants of the demo data, by id, for tests that need two tenants to keep apart.
public enum DemoTenants {
    public static let acme = "00000000-0000-4000-8000-000000000001"
    public static let globex = "00000000-0000-4000-8000-000000000002"
}
