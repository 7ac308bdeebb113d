using Cairn.Space.Accounts;
using Cairn.Space.Agents;
using Cairn.Space.Backups;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Plans;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Data;

/// <summary>
/// Space's own records: accounts, instances, credentials, tasks and their usage, plans, agents and their runs, alerts, and
/// the console's Data Protection keys (so a sign-in cookie made by one replica opens on every other). Nothing here is
/// needed to read a repository;
/// the bytes of every task live in its object store, and the reconciling scan rebuilds usage from them.
/// One model, one subclass per provider (<see cref="SqliteSpaceDbContext"/>, <see cref="PostgresSpaceDbContext"/>),
/// because each provider has its own migrations (Data/Migrations).
/// </summary>
public abstract class SpaceDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();
    public DbSet<SignUpCounter> SignUpCounters => Set<SignUpCounter>();
    public DbSet<Instance> Instances => Set<Instance>();
    public DbSet<InstanceCredential> Credentials => Set<InstanceCredential>();
    public DbSet<BackupTask> Tasks => Set<BackupTask>();
    public DbSet<UsageSample> UsageSamples => Set<UsageSample>();
    public DbSet<SnapshotRecord> Snapshots => Set<SnapshotRecord>();
    public DbSet<LockRecord> Locks => Set<LockRecord>();
    public DbSet<StoredObject> StoredObjects => Set<StoredObject>();
    public DbSet<StorageMeter> StorageMeters => Set<StorageMeter>();
    public DbSet<CloudInstance> CloudInstances => Set<CloudInstance>();
    public DbSet<ChargeLine> ChargeLines => Set<ChargeLine>();
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();
    public DbSet<MonthlyBill> Bills => Set<MonthlyBill>();
    public DbSet<CloudRestore.Ssh.SshProviderKey> SshProviderKeys => Set<CloudRestore.Ssh.SshProviderKey>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Cluster.ScheduledRun> ScheduledRuns => Set<Cluster.ScheduledRun>();
    public DbSet<BackupPlan> Plans => Set<BackupPlan>();
    public DbSet<PlanRevision> PlanRevisions => Set<PlanRevision>();
    public DbSet<PlanRun> Runs => Set<PlanRun>();
    public DbSet<Agent> Agents => Set<Agent>();
    public DbSet<EnrollmentCode> EnrollmentCodes => Set<EnrollmentCode>();
    public DbSet<AgentCommand> AgentCommands => Set<AgentCommand>();
    public DbSet<Alerts.AlertChannel> AlertChannels => Set<Alerts.AlertChannel>();
    public DbSet<Alerts.AlertIncident> AlertIncidents => Set<Alerts.AlertIncident>();
    public DbSet<Alerts.AlertDelivery> AlertDeliveries => Set<Alerts.AlertDelivery>();
    public DbSet<Alerts.AlertPreferences> AlertPreferences => Set<Alerts.AlertPreferences>();
    public DbSet<Alerts.PlanAlertGrace> PlanAlertGraces => Set<Alerts.PlanAlertGrace>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Each feature keeps its entities' mapping beside them (an IEntityTypeConfiguration named {Entity}Model).
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SpaceDbContext).Assembly);
    }
}
