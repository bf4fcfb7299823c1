//! Texts shared by many pages: the header, navigation and common states.

crate::texts! {
    Common {
        my_requests: "My requests", "Permintaan saya";
        new_request: "New request", "Permintaan baru";
        bookings: "Bookings", "Pemesanan";
        approvals: "Approvals", "Persetujuan";
        desk: "Desk", "Meja GA";
        assets: "Assets", "Aset";
        my_assets: "My assets", "Aset saya";
        stock: "Stock", "Stok";
        reports: "Reports", "Laporan";
        admin: "Admin", "Admin";
        main_nav: "Main", "Utama";
        sign_out: "Sign out", "Keluar";
        change_password: "Change password", "Ganti kata sandi";
        low_stock_title: "Items at or below their reorder level", "Barang pada atau di bawah batas pesan ulang";
        low: " low", " menipis";
        notifications: "Notifications", "Notifikasi";
        notifications_unread: "Notifications, {0} unread", "Notifikasi, {0} belum dibaca";
        nothing_new: "Nothing new.", "Tidak ada yang baru.";
        notification_settings: "Email and notification settings", "Pengaturan email dan notifikasi";
        language: "Language", "Bahasa";
        loading: "Loading…", "Memuat…";
        load_more: "Load more", "Muat lagi";
        retry: "Try again", "Coba lagi";
        back: "Back", "Kembali";
        cancel: "Cancel", "Batal";
        save: "Save", "Simpan";
        close: "Close", "Tutup";
        search: "Search", "Cari";
        all: "All", "Semua";
        none: "None", "Tidak ada";
        optional: "(optional)", "(opsional)";
        wib: "WIB", "WIB";
        changed_meanwhile: "{0} was changed by someone else meanwhile; the list is refreshed.", "{0} telah diubah orang lain; daftar sudah diperbarui.";
        skip_to_content: "Skip to content", "Langsung ke isi";
    }
}
