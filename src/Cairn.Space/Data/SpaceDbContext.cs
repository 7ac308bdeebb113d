using Cairn.Space.Billing;
using Cairn.Space.Cloud;
using Cairn.Space.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Data;

/// <summary>
/// Space's own records: accounts, instances, credentials, tasks and their usage, and the console's Data Protection
/// keys (so a sign-in cookie made by one replica opens on every other). Nothing here is needed to read a repository;
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
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Cluster.ScheduledRun> ScheduledRuns => Set<Cluster.ScheduledRun>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // The same filter text works on both providers: quoted identifiers are standard SQL.
        const string Active = "\"DeletedAt\" IS NULL";

        modelBuilder.Entity<Account>(e =>
        {
            e.HasKey(a => a.Id);
            e.HasIndex(a => a.Email).IsUnique();
            e.Property(a => a.Email).HasMaxLength(Account.MaxEmailLength);
            e.Property(a => a.SpendingCap).HasPrecision(18, 2);
            e.Property(a => a.UnpaidBalance).HasPrecision(18, 2);
            e.Property(a => a.SecurityStamp).HasMaxLength(64);
            e.Ignore(a => a.TwoFactorEnabled);
        });

        // Sign-in hardening (src/Cairn.Space/Security).
        modelBuilder.Entity<RecoveryCode>(e =>
        {
            e.HasKey(c => c.Id);
            e.HasIndex(c => new { c.AccountId, c.CodeHash }).IsUnique();
            e.Property(c => c.CodeHash).HasMaxLength(64);
        });

        modelBuilder.Entity<SignUpCounter>(e =>
        {
            e.HasKey(c => new { c.Client, c.Day });
            e.Property(c => c.Client).HasMaxLength(64);
            e.Property(c => c.Day).HasMaxLength(10);
        });

        modelBuilder.Entity<AccessToken>(e =>
        {
            e.HasKey(t => t.Id);
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasIndex(t => t.AccountId);
        });

        modelBuilder.Entity<Instance>(e =>
        {
            e.HasKey(i => i.Id);
            e.Property(i => i.Name).HasMaxLength(Names.MaxInstanceNameLength);
            e.HasIndex(i => i.Name).IsUnique().HasFilter(Active);
            e.HasIndex(i => i.AccountId);
            e.Ignore(i => i.IsActive);
        });

        modelBuilder.Entity<InstanceCredential>(e =>
        {
            e.HasKey(c => c.Id);
            e.HasIndex(c => c.Username).IsUnique();
            e.HasIndex(c => c.InstanceId);
            e.Ignore(c => c.IsRevoked);
        });

        modelBuilder.Entity<BackupTask>(e =>
        {
            e.HasKey(t => t.Id);
            e.Property(t => t.Name).HasMaxLength(Names.MaxTaskNameLength);
            e.HasIndex(t => new { t.InstanceId, t.Name }).IsUnique().HasFilter(Active);
            e.Ignore(t => t.IsActive);
        });

        modelBuilder.Entity<UsageSample>(e =>
        {
            e.HasKey(s => s.Id);
            e.HasIndex(s => new { s.TaskId, s.At });
        });

        modelBuilder.Entity<SnapshotRecord>(e =>
        {
            e.HasKey(s => new { s.TaskId, s.SnapshotId });
            e.Property(s => s.SnapshotId).HasMaxLength(64);
            e.Ignore(s => s.IsUnreadable);
        });

        // Who wrote each lock file (src/Cairn.Space/Apis/Repository): a Backup URL removes only its own.
        modelBuilder.Entity<LockRecord>(e =>
        {
            e.HasKey(l => new { l.TaskId, l.LockName });
            e.Property(l => l.LockName).HasMaxLength(64);
        });

        // Objects counted in usage, once each across replicas (Services/StoredObjectLedger).
        modelBuilder.Entity<StoredObject>(e =>
        {
            e.HasKey(o => new { o.TaskId, o.Kind, o.Name });
            e.Property(o => o.Name).HasMaxLength(64);
            e.Property(o => o.Sha256).HasMaxLength(64);
        });

        modelBuilder.Entity<StorageMeter>(e =>
        {
            e.HasKey(m => new { m.TaskId, m.Month });
            e.HasIndex(m => new { m.InstanceId, m.Month });
            e.Property(m => m.Month).HasMaxLength(7);
        });

        // Restores to cloud instances and billing (src/Cairn.Space/Cloud, src/Cairn.Space/Billing).
        modelBuilder.ApplyConfiguration(new CloudInstanceModel());
        modelBuilder.ApplyConfiguration(new ChargeLineModel());
        modelBuilder.ApplyConfiguration(new LedgerEntryModel());
        modelBuilder.ApplyConfiguration(new MonthlyBillModel());

        // The schedule of periodic work shared by all replicas (src/Cairn.Space/Cluster).
        modelBuilder.ApplyConfiguration(new Cluster.ScheduledRunModel());
    }
}
