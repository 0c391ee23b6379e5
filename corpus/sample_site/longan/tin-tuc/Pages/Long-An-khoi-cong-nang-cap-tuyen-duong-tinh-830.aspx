<!DOCTYPE html>
<html lang="vi" dir="ltr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Long An khởi công nâng cấp tuyến đường tỉnh 830 - Cổng thông tin điện tử tỉnh Long An</title>
<link rel="canonical" href="https://www.longan.gov.vn/tin-tuc/Pages/Long-An-khoi-cong-nang-cap-tuyen-duong-tinh-830.aspx">
</head>
<body>
<form method="post" action="./Pages" id="aspnetForm">
<div id="s4-workspace"><div id="s4-bodyContainer">
  <div class="la-header"><div class="la-lang">Tiếng Việt | English</div>
    <ul class="la-menu"><li><a href="/tin-tuc/Pages/default.aspx">Tin tức</a></li><li><a href="/Pages/gioi-thieu.aspx">Giới thiệu</a></li></ul></div>
  <div id="contentBox"><div class="ms-webpart-zone ms-fullWidth"><div class="ms-webpartzone-cell">
    <div class="la-news-detail">
      <div class="la-news-date">05/04/2022 - 14:10</div>
      <h1 class="la-news-title">Long An khởi công nâng cấp tuyến đường tỉnh 830</h1>
      <div class="la-news-summary">Sáng 5/4, Sở Giao thông vận tải tỉnh Long An tổ chức khởi công dự án nâng cấp, mở rộng đường tỉnh 830 đoạn qua huyện Bến Lức và Đức Hòa.</div>
      <div id="ctl00_PlaceHolderMain_ctl01__ControlWrapper_RichHtmlField" class="ms-rtestate-field" style="display:inline" aria-labelledby="ctl00_PlaceHolderMain_ctl01_label">
<p>Dự án có tổng chiều dài gần 9 km, mặt đường rộng 12 m, tổng vốn đầu tư khoảng 600 tỉ đồng từ ngân sách tỉnh; thời gian thi công dự kiến 24 tháng.</p>
<p>Khi hoàn thành, tuyến đường sẽ giảm ùn tắc cho các khu công nghiệp dọc tuyến và rút ngắn thời gian vận chuyển hàng hóa về Thành phố Hồ Chí Minh.</p>
      </div>
      <div class="la-news-author">Minh Tâm</div>
      <div class="la-share">Chia sẻ bài viết</div>
    </div>
  </div></div></div>
</div></div>
</form>
</body>
</html>
