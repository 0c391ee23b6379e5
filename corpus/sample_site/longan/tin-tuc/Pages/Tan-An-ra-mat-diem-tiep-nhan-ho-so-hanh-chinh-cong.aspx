<!DOCTYPE html>
<html lang="vi" dir="ltr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Tân An ra mắt điểm tiếp nhận hồ sơ hành chính công mới - Cổng thông tin điện tử tỉnh Long An</title>
<link rel="canonical" href="https://www.longan.gov.vn/tin-tuc/Pages/Tan-An-ra-mat-diem-tiep-nhan-ho-so-hanh-chinh-cong.aspx">
</head>
<body>
<form method="post" action="./Pages" id="aspnetForm">
<div id="s4-workspace"><div id="s4-bodyContainer">
  <div class="la-header"><div class="la-lang">Tiếng Việt | English</div>
    <ul class="la-menu"><li><a href="/tin-tuc/Pages/default.aspx">Tin tức</a></li><li><a href="/Pages/gioi-thieu.aspx">Giới thiệu</a></li></ul></div>
  <div id="contentBox"><div class="ms-webpart-zone ms-fullWidth"><div class="ms-webpartzone-cell">
    <div class="la-news-detail">
      <div class="la-news-date">21/03/2022 - 16:05</div>
      <h1 class="la-news-title">Tân An ra mắt điểm tiếp nhận hồ sơ hành chính công mới</h1>
      <div class="la-news-summary">Thành phố Tân An vừa đưa vào hoạt động điểm tiếp nhận và trả kết quả hồ sơ hành chính tại trụ sở mới, với 12 quầy giao dịch và khu vực chờ rộng rãi.</div>
      <div id="ctl00_PlaceHolderMain_ctl01__ControlWrapper_RichHtmlField" class="ms-rtestate-field" style="display:inline" aria-labelledby="ctl00_PlaceHolderMain_ctl01_label">
<p>Người dân có thể tra cứu tiến độ giải quyết hồ sơ qua cổng dịch vụ công hoặc nhận tin nhắn báo kết quả trên điện thoại.</p>
<p>Trong tháng đầu, điểm tiếp nhận đã giải quyết hơn 1.500 hồ sơ về đất đai, hộ tịch và đăng ký kinh doanh, phần lớn trước hạn.</p>
      </div>
      <div class="la-news-author">Thu Hà</div>
      <div class="la-share">Chia sẻ bài viết</div>
    </div>
  </div></div></div>
</div></div>
</form>
</body>
</html>
