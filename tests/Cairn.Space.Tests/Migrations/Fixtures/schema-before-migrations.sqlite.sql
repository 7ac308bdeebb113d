CREATE TABLE "AccessTokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AccessTokens" PRIMARY KEY,
    "AccountId" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL
);


CREATE TABLE "Accounts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Accounts" PRIMARY KEY,
    "Email" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL,
    "IsOperator" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "SpendingCap" TEXT NULL,
    "UnpaidBalance" TEXT NOT NULL,
    "SecurityStamp" TEXT NOT NULL,
    "FailedSignIns" INTEGER NOT NULL,
    "LockedUntil" INTEGER NULL,
    "InstanceLimit" INTEGER NULL,
    "TotpSecretProtected" TEXT NULL,
    "TotpPendingSecretProtected" TEXT NULL,
    "TotpLastTimeStep" INTEGER NULL
);


CREATE TABLE "Bills" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Bills" PRIMARY KEY,
    "AccountId" TEXT NOT NULL,
    "Month" TEXT NOT NULL,
    "StorageCharge" TEXT NOT NULL,
    "CarriedIn" TEXT NOT NULL,
    "Amount" TEXT NOT NULL,
    "Charged" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);


CREATE TABLE "ChargeLines" (
    "OrderId" TEXT NOT NULL,
    "Position" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Quantity" TEXT NOT NULL,
    "Unit" TEXT NOT NULL,
    "Amount" TEXT NOT NULL,
    CONSTRAINT "PK_ChargeLines" PRIMARY KEY ("OrderId", "Position")
);


CREATE TABLE "CloudInstances" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CloudInstances" PRIMARY KEY,
    "AccountId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "TaskId" TEXT NOT NULL,
    "TaskInstanceId" TEXT NOT NULL,
    "SnapshotId" TEXT NOT NULL,
    "SnapshotTime" INTEGER NOT NULL,
    "SizeBytes" INTEGER NOT NULL,
    "SizeFromTask" INTEGER NOT NULL,
    "Provider" TEXT NOT NULL,
    "Region" TEXT NOT NULL,
    "Hardware" TEXT NOT NULL,
    "Currency" TEXT NOT NULL,
    "Total" TEXT NOT NULL,
    "PeriodAmount" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "Disk" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "PaidAt" INTEGER NULL,
    "PeriodEnd" INTEGER NULL,
    "RunningAt" INTEGER NULL,
    "ReturnedAt" INTEGER NULL,
    "ReleasedAt" INTEGER NULL
);


CREATE TABLE "Credentials" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Credentials" PRIMARY KEY,
    "InstanceId" TEXT NOT NULL,
    "Username" TEXT NOT NULL,
    "SecretHash" TEXT NOT NULL,
    "Access" INTEGER NOT NULL,
    "TaskId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL
);


CREATE TABLE "Instances" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Instances" PRIMARY KEY,
    "AccountId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Region" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DeletedAt" INTEGER NULL,
    "MeteredUntil" INTEGER NOT NULL
);


CREATE TABLE "Ledger" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Ledger" PRIMARY KEY,
    "AccountId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Amount" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "OrderId" TEXT NULL,
    "BillId" TEXT NULL,
    "Reference" TEXT NULL
);


CREATE TABLE "Locks" (
    "TaskId" TEXT NOT NULL,
    "LockName" TEXT NOT NULL,
    "CredentialUsername" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_Locks" PRIMARY KEY ("TaskId", "LockName")
);


CREATE TABLE "RecoveryCodes" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_RecoveryCodes" PRIMARY KEY,
    "AccountId" TEXT NOT NULL,
    "CodeHash" TEXT NOT NULL
);


CREATE TABLE "SignUpCounters" (
    "Client" TEXT NOT NULL,
    "Day" TEXT NOT NULL,
    "Count" INTEGER NOT NULL,
    CONSTRAINT "PK_SignUpCounters" PRIMARY KEY ("Client", "Day")
);


CREATE TABLE "Snapshots" (
    "TaskId" TEXT NOT NULL,
    "SnapshotId" TEXT NOT NULL,
    "WrittenAt" INTEGER NOT NULL,
    "FileCount" INTEGER NULL,
    "TotalBytes" INTEGER NULL,
    "UnreadableAt" INTEGER NULL,
    CONSTRAINT "PK_Snapshots" PRIMARY KEY ("TaskId", "SnapshotId")
);


CREATE TABLE "StorageMeters" (
    "TaskId" TEXT NOT NULL,
    "Month" TEXT NOT NULL,
    "InstanceId" TEXT NOT NULL,
    "OverGbHours" REAL NOT NULL,
    CONSTRAINT "PK_StorageMeters" PRIMARY KEY ("TaskId", "Month")
);


CREATE TABLE "Tasks" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Tasks" PRIMARY KEY,
    "InstanceId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DeletedAt" INTEGER NULL,
    "StorageBytes" INTEGER NOT NULL,
    "MeteredBytes" INTEGER NOT NULL,
    "LatestSnapshotAt" INTEGER NULL
);


CREATE TABLE "UsageSamples" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_UsageSamples" PRIMARY KEY AUTOINCREMENT,
    "TaskId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Bytes" INTEGER NOT NULL
);


CREATE INDEX "IX_AccessTokens_AccountId" ON "AccessTokens" ("AccountId");


CREATE UNIQUE INDEX "IX_AccessTokens_TokenHash" ON "AccessTokens" ("TokenHash");


CREATE UNIQUE INDEX "IX_Accounts_Email" ON "Accounts" ("Email");


CREATE UNIQUE INDEX "IX_Bills_AccountId_Month" ON "Bills" ("AccountId", "Month");


CREATE INDEX "IX_CloudInstances_AccountId" ON "CloudInstances" ("AccountId");


CREATE UNIQUE INDEX "IX_CloudInstances_Name" ON "CloudInstances" ("Name") WHERE "ReleasedAt" IS NULL;


CREATE INDEX "IX_CloudInstances_State" ON "CloudInstances" ("State");


CREATE INDEX "IX_Credentials_InstanceId" ON "Credentials" ("InstanceId");


CREATE UNIQUE INDEX "IX_Credentials_Username" ON "Credentials" ("Username");


CREATE INDEX "IX_Instances_AccountId" ON "Instances" ("AccountId");


CREATE UNIQUE INDEX "IX_Instances_Name" ON "Instances" ("Name") WHERE "DeletedAt" IS NULL;


CREATE INDEX "IX_Ledger_AccountId_At" ON "Ledger" ("AccountId", "At");


CREATE UNIQUE INDEX "IX_Ledger_BillId" ON "Ledger" ("BillId") WHERE "BillId" IS NOT NULL;


CREATE UNIQUE INDEX "IX_Ledger_OrderId_Kind" ON "Ledger" ("OrderId", "Kind") WHERE "OrderId" IS NOT NULL;


CREATE UNIQUE INDEX "IX_RecoveryCodes_AccountId_CodeHash" ON "RecoveryCodes" ("AccountId", "CodeHash");


CREATE INDEX "IX_StorageMeters_InstanceId_Month" ON "StorageMeters" ("InstanceId", "Month");


CREATE UNIQUE INDEX "IX_Tasks_InstanceId_Name" ON "Tasks" ("InstanceId", "Name") WHERE "DeletedAt" IS NULL;


CREATE INDEX "IX_UsageSamples_TaskId_At" ON "UsageSamples" ("TaskId", "At");


